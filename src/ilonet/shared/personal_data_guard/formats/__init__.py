"""One reader per file format, each yielding :class:`~..extract.TextChunk` items."""
