"""Item pipelines, one step per module (``verb_noun.py`` -> ``VerbNounPipeline``).

Order (see ``ITEM_PIPELINES`` in settings): validate, normalize, absolutize
URLs, sanitize, build the excerpt, fetch the image, choose the image, write.
Each step drops a bad item with a reason and counts it under
``newsbot/<step>/<event>``.
"""
