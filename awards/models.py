"""Awards: proposals, the approval chain, decisions and dossiers.

The catalogue of award types they name lives in the base (``clusters.models.AwardType``),
below the feature apps, so that this app can read pledges, meetings, scoring and votes
while none of them imports it.
"""
