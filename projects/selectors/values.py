"""Frozen result rows compared and hashed as values, cheaply (``compared_as_values``)."""

from operator import itemgetter


def compared_as_values(cls=None, *, hashed_by: tuple[str, ...] = ()):
    """``cls`` (a frozen dataclass) compared and hashed by its fields' values read at once
    from the instance's ``__dict__``, in C, rather than by the tuples dataclasses build in
    Python for each comparison.

    The same answers: a frozen dataclass's ``__dict__`` holds its fields and nothing else,
    in declaration order (``__init__`` sets them so, and unpickling restores that dict). It
    is for the rows a table draws once per value (``web.drawn_rows``), where each of a
    computed page's 225 rows is hashed and compared with the one drawn before: 4.4 µs a
    project row as dataclasses wrote it, 2.1 µs so. ``tests/selectors/test_result_values``
    checks every field of each class takes part.

    ``hashed_by``: the fields the hash reads, when not all of them. Equal rows have equal
    such fields, so they still hash alike; rows that differ elsewhere only (one project's
    row before and after a save) share a hash and are told apart by ``==``. A row's amounts
    are Decimals, whose hash is computed once per object and costs about 0.3 µs: a project
    row freshly read from the database took 4.6 µs to hash with its amounts (its second
    hash 1.0), the row memo hashes each once, and comparing it whole takes 2.4."""

    def decorate(cls):
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return self.__dict__ == other.__dict__
            return NotImplemented

        if hashed_by:
            # One name: ``itemgetter`` gives the value itself, hashed as is.
            read = itemgetter(*hashed_by)

            def __hash__(self):
                return hash(read(self.__dict__))

        else:

            def __hash__(self):
                return hash(tuple(self.__dict__.values()))

        cls.__eq__ = __eq__
        cls.__hash__ = __hash__
        cls.hashed_by = hashed_by
        return cls

    return decorate if cls is None else decorate(cls)
