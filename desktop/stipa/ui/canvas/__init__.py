"""The diagram canvas: scene, items, view and tools."""
