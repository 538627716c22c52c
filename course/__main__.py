"""`python -m course grade|check|record|lab|start-page|hub`: the commands of grader.cli, run from the course folder."""
import sys


def main(argv=None):
    from grader.cli import main as grader_main  # the grader, apart from the runtime, only when asked for
    return grader_main(argv)


if __name__ == "__main__":
    sys.exit(main())
