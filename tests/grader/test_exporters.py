"""The feedback's exporter makes the page nbconvert's HTMLExporter makes, without parsing it a second time."""
import base64
import html
import re

import nbformat
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from grader.exporters import NO_ALT, FeedbackExporter

PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()


def notebook():
    figure = new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"})
    described = new_output("display_data", data={"text/html": '<img src="x.png" alt="the loss curve">'})
    return new_notebook(cells=[new_markdown_cell("# Feedback\nSome *text* & more."),
                               new_code_cell("plot()", outputs=[figure, described], execution_count=1),
                               new_code_cell("print('done')", outputs=[new_output("stream", text="done\n")])])


def text_of(page):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def test_the_page_reads_as_nbconvert_makes_it_and_every_image_has_its_alt_text():
    nb = nbformat.from_dict(notebook())
    ours, _ = FeedbackExporter(template_name="classic").from_notebook_node(nb)
    theirs, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    assert text_of(ours) == text_of(theirs)
    images = re.findall(r"<img[^>]*>", ours)
    assert len(images) == len(re.findall(r"<img[^>]*>", theirs)) == 2
    assert sum(NO_ALT in tag for tag in images) == 1 and any('alt="the loss curve"' in tag for tag in images)
