"""The deploy check of what the public ballot page needs: wrong codes are counted per
address in the cache (``votes.public``), so every worker process must share it."""

from django.conf import settings
from django.core import checks

PROCESS_LOCAL = {
    "django.core.cache.backends.locmem.LocMemCache": "keeps its counts in one process",
    "django.core.cache.backends.dummy.DummyCache": "keeps nothing",
}


@checks.register(checks.Tags.caches, deploy=True)
def ballot_throttle_cache(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL:
        return []
    return [
        checks.Error(
            f"The default cache ({backend}) {PROCESS_LOCAL[backend]}: the wrong ballot codes "
            "of an address would be counted per worker process.",
            hint="Set CACHE_REDIS_URL (e.g. redis://redis:6379/1).",
            id="votes.E001",
        )
    ]
