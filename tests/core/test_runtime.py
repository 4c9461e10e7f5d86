"""A worker settles once its application is loaded (``core.runtime.settle``)."""

import subprocess
import sys

from config.settings import BASE_DIR


def test_a_loaded_worker_puts_its_start_up_beyond_full_collections():
    """Loading the WSGI application imports the views and freezes what is loaded: the
    garbage collector's full collections no longer walk it. Its young collections wait
    for 50,000 new objects rather than 700: a page builds tens of thousands."""
    script = (
        "import gc, sys\n"
        "assert gc.get_freeze_count() == 0\n"
        "assert gc.get_threshold() == (700, 10, 10)\n"
        "import config.wsgi\n"
        "print(gc.get_freeze_count(), 'awards.views' in sys.modules, gc.isenabled(),"
        " ','.join(map(str, gc.get_threshold())))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    frozen, views, enabled, thresholds = done.stdout.split()
    assert int(frozen) > 50_000
    assert (views, enabled) == ("True", "True")
    assert thresholds == "50000,20,10"
