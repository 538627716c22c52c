"""The kernel's side of the course grader's judge.

Under `python -m course grade` a test cell never runs in the student's kernel.
The judge, outside the sandbox, runs it, and every time the test needs the
student's work (call `relu(z)`, read `q1`, build `NN.__new__(NN)`) it asks the
kernel through `server.serve`, which answers with plain data (`codec`). The
kernel never sees a test's code, an expected value or an answer key.
"""
