"""Names of the ``.stipa`` format: namespace, version, element and section tags."""

from __future__ import annotations

from stipa.model import TABLES

#: The version of the format this Stipa writes; it reads this one and upgrades older ones.
FORMAT_VERSION = 2
#: The namespace of every Stipa element.
NAMESPACE = "https://stipa.dev/ns/document"
#: Files larger than this are refused before they are read.
MAX_FILE_BYTES = 100 * 1024 * 1024
#: The schema of the current version, under ``resources/``.
SCHEMA_PARTS = ("schema", f"stipa-{FORMAT_VERSION}.xsd")

_NS = "{" + NAMESPACE + "}"


def q(local: str) -> str:
    """The qualified (Clark notation) tag of a Stipa element."""
    return _NS + local


#: table name -> (section element, record element), in the order of ``stipa.model.TABLES``.
SECTIONS: dict[str, tuple[str, str]] = {
    "components": ("components", "component"),
    "links": ("links", "link"),
    "losses": ("losses", "loss"),
    "hazards": ("hazards", "hazard"),
    "constraints": ("constraints", "constraint"),
    "responsibilities": ("responsibilities", "responsibility"),
    "ucas": ("ucas", "uca"),
    "controller_constraints": ("controller-constraints", "controller-constraint"),
    "scenarios": ("scenarios", "scenario"),
    "context_rules": ("context-rules", "context-rule"),
    "requirements": ("requirements", "requirement"),
    "findings": ("findings", "finding"),
    "suggestions": ("suggestions", "suggestion"),
}
assert tuple(SECTIONS) == tuple(t.name for t in TABLES), "SECTIONS must follow model.TABLES"

ROOT = q("stipa")
INFO = q("info")
DIAGRAM = q("diagram")
NODE = q("node")
ROUTE = q("route")
BEND = q("bend")
PROPOSAL = q("proposal")
VARIABLE = q("variable")
VALUE = q("value")
ITEM = q("item")
RACI = q("raci")
CONDITION = q("condition")
DATA = q("data")
TEXT = q("text")
DESCRIPTION = q("description")
RATIONALE = q("rationale")
CONTEXT = q("context")
MESSAGE = q("message")
CAUSAL_FACTOR = q("causal-factor")
