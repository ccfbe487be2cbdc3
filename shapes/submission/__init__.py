"""A submission's way in.

Reading an untrusted file (:mod:`.read`), the checks against the rest of the graph
(:mod:`.graph_checks`), one located report of shapes and checks (:mod:`.check`, which also takes a
conforming submission in) and the same work as a job for a worker process (:mod:`.job`).
"""
