"""Functions with assert statements, for test_exceptions.py: pytest rewrites the asserts of
test modules, so their code would no longer be that of their source, which accel refuses."""


def asserts(x):
    assert x != 0, "x is zero"
    assert x > -5
    return 10 // x

