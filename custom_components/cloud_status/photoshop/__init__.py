"""Adobe Photoshop API jobs: look one up, wait for it, or track it in the background.

A `photoshop` entry has no status page to poll. Its coordinator (`tracker`) holds the
jobs that `track_photoshop_job` handed it, polls each on its own backoff schedule
(`polling`), fires the entry's `job` event when one ends, and keeps the list in a
`Store` (`store`) so that tracking survives a restart. `actions` registers the two
actions, `responses` builds what they and the event say about a job, and `entities`
holds the entry's sensor and event entity. The actions' requests run in tasks that
unloading and Home Assistant's shutdown cancel (`action_tasks`): an unloaded entry
sends nothing more.
"""
