"""The shared core of Heart to Heart: catalog, matcher, handlers, content, persistence."""
