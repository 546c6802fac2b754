"""Frozen snapshots of a document, the input of every analysis."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from stipa.model.view import DocumentView

if TYPE_CHECKING:
    import networkx as nx


class Snapshot(DocumentView):
    """A read-only copy of a document at one moment.

    Records are immutable and the tables are private copies, so an analysis can read a
    snapshot on another thread while the user keeps editing, and cannot change the document.
    """

    def __init__(
        self,
        tables: dict[str, dict[str, Any]],
        where: dict[str, str],
        owner: dict[str, str],
        extensions: tuple[str, ...] = (),
    ) -> None:
        # read-only views over private copies: an analysis cannot change them by accident
        self._tables = MappingProxyType(  # type: ignore[assignment]
            {name: MappingProxyType(dict(table)) for name, table in tables.items()}
        )
        self._where = MappingProxyType(dict(where))  # type: ignore[assignment]
        self._owner = MappingProxyType(dict(owner))  # type: ignore[assignment]
        self.extensions = extensions

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.__dict__:
            raise AttributeError(f"Snapshot is read-only; cannot set {name}.")
        object.__setattr__(self, name, value)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The control structure as a new ``MultiDiGraph`` keyed by ids.

        Nodes are component ids with attributes ``record``, ``name``, ``kind``, ``nature``,
        ``parent`` (the id of the containing component, "" at the top) and ``level`` (the
        stated hierarchy level or None); edges run source -> target, keyed by link id, with
        attributes ``record``, ``kind`` and ``items`` (the item ids). Containment is not an
        edge: walk it with ``parent`` or ``children_of``/``descendants_of``/``ancestors_of``.
        Each call builds a fresh graph.
        """
        import networkx as nx  # here: importing it costs every command 0.1 s of start-up

        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        graph.add_nodes_from(
            (
                c.id,
                {
                    "record": c,
                    "name": c.name,
                    "kind": c.kind,
                    "nature": c.nature,
                    "parent": c.parent,
                    "level": c.level,
                },
            )
            for c in self._tables["components"].values()
        )
        for link in self._tables["links"].values():
            items = [item.id for item in link.items]
            graph.add_edge(
                link.source, link.target, key=link.id, record=link, kind=link.kind, items=items
            )
        return graph
