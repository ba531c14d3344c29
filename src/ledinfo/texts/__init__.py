"""The texts stage: a pack's content put together from the disclosed results — its template, the
administration's comments, the summary page — as the plain data the renderers take."""
