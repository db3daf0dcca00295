"""How a pool calls its function on an item, in every backend: ``map`` passes the item,
``starmap`` unpacks it, ``apply`` carries ``(args, kwargs)``."""
MAP, STARMAP, APPLY = "map", "starmap", "apply"


def arguments(mode, item):
    """``(args, kwargs)`` of the call one item stands for."""
    if mode == MAP:
        return (item,), {}
    if mode == STARMAP:
        return tuple(item), {}
    return item


def call_items(func, mode, items, first, results, tracker=None):
    """Appends each item's result to ``results``; on an exception, len(results) is the
    offset of the failing item. ``tracker.set_current_item`` hears of each item of a
    chunk as it starts. The modes are tested inline, not through ``arguments``: this is
    the hot path of a tiny task."""
    track = tracker is not None and len(items) > 1
    for offset, item in enumerate(items):
        if track:
            tracker.set_current_item(first + offset)
        if mode == MAP:
            results.append(func(item))
        elif mode == STARMAP:
            results.append(func(*item))
        else:
            args, kwargs = item
            results.append(func(*args, **kwargs))
