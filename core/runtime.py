"""How a process that serves requests settles once its application is loaded."""

import gc


def settle() -> None:
    """Put everything loaded so far (modules, models, URL patterns, settings) beyond the
    garbage collector's full collections.

    A full collection walks every object the process holds: some 150,000 once Django,
    the application and its URLconf are loaded, which took 60–150 ms each time, about
    every 150 requests, added whole to the request it fell on. Frozen (``gc.freeze``),
    what start-up loaded is never walked again; it lives as long as the process anyway.
    Measured over the benchmark's pages, the full collections took 20–55 ms instead.

    The young generation is then collected after 50,000 new objects rather than 700 (and
    the middle one after 20 of those, not 10): a page builds tens of thousands of
    objects, most freed by reference counting as soon as it is written, and each young
    collection walked what was still alive. Measured interleaved over the benchmark's
    pages: 4–9 % off the median, more off the 95th percentile (the province summary's
    84 → 67 ms). What a cycle holds waits longer to be freed: a worker that served
    every page of the benchmark six times peaked at 138 MB instead of 127."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, 20, 10)


YOUNG = 50_000
