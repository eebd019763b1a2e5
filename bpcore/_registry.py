"""The two steps every registry of records shares (activations, losses): adding a record
under its name, and finding it again with a message that lists the valid names."""
from __future__ import annotations


def add(registry, record, record_type, kind):
    """Put ``record`` (an instance of ``record_type``) in ``registry`` under its name."""
    if not isinstance(record, record_type):
        raise TypeError(f"expected {'an' if record_type.__name__[0] in 'AEIOU' else 'a'} "
                        f"{record_type.__name__} record, got {type(record).__name__}")
    if not isinstance(record.name, str) or not record.name.isidentifier():
        raise ValueError(f"a {kind}'s name is a word such as 'leaky_relu', got {record.name!r}")
    if record.name in registry:
        raise ValueError(f"a {kind} named {record.name!r} is already registered")
    registry[record.name] = record
    return record


def lookup(registry, name, kind):
    """The record registered as ``name``; ValueError listing the valid names otherwise."""
    if not isinstance(name, str) or name not in registry:
        raise ValueError(f"unknown {kind} {name!r}; valid names are "
                         f"{', '.join(repr(n) for n in registry)}")
    return registry[name]
