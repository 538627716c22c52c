"""What the tests share: the repository's paths, scratch courses, the heavy jobs and the submissions they grade."""
