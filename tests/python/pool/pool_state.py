"""An importable module for the pool tests: state an initializer sets in each worker."""
import os

value = "unset"
imported_in = os.getpid()  # the process that ran this module's top level


def set_value(new):
    global value
    value = new


def read_value(_=None):
    return value


class Reader:
    @classmethod
    def read(cls, _=None):
        return value


def where_imported(_=None):
    return imported_in, os.getpid(), os.getppid()
