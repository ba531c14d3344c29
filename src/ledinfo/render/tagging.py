"""Tagged PDF (PDF/UA-1) for ReportLab: marked content in the page streams and the structure tree.

Open-source ReportLab writes no structure, so this module adds it in three parts:

- **Roles.** :func:`structure` walks the finished story once and gives each flowable its
  structure element, in story order: a ``Sect`` from each H1 to the next, headings by
  level (a :class:`Heading`'s ``level``, or the paragraph style ``h1``/``cover_title`` and
  ``h2``), ``P`` for other paragraphs, ``L``/``LI`` for the ``bullet`` style, ``TOC``/``TOCI``
  for flowables whose ``struct_role`` is ``"TOCI"``, ``Table``/``TR``/``TH``/``TD`` for a table
  with a header row (``repeatRows``; a grouped list's group line, its table's ``group_rows``, a ``TH`` of
  ``Scope`` Row spanning its row), ``P`` per cell of a table without one (a layout of
  cards), ``Figure`` with its ``/Alt`` for :class:`Figure`. A flowable's own ``struct_role``
  overrides what its style says.
- **Marked content.** A tagged flowable's drawing is wrapped in ``/Role <</MCID n>> BDC … EMC``
  (its class becomes a subclass that does so, also for the pieces a page break splits it
  into); a table marks each cell, and marks the header row a split repeats on the next page
  as an artifact. Whatever a page draws outside tagged content — running header, footer,
  "Side x af y", cover band, table backgrounds and rules — becomes ``/Artifact BMC … EMC``.
- **The tree.** :class:`TaggingCanvas` collects which element owns each MCID on each page,
  and on save writes the StructTreeRoot with its ParentTree, ``/StructParents`` and
  ``/Tabs /S`` on every page, ``MarkInfo``, ``DisplayDocTitle``, and XMP metadata with the
  PDF/UA identification. Elements enter the tree when they first draw, so the tree is in
  reading order even where the story was assembled out of order (the contents).

Everything is written by ReportLab's own PDF objects in one pass: no second library, and the
output stays byte-identical for the same input.
"""

from __future__ import annotations

import contextlib
import functools
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObjectReference, PDFStream, PDFString
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

HEADING_STYLES = {"h1": "H1", "cover_title": "H1", "h2": "H2"}
LIST_STYLES = {"bullet"}


class Node:
    """A structure element: its role, attributes and children (elements, marked content, annotations)."""

    __slots__ = ("role", "parent", "alt", "attributes", "kids", "attached", "link", "description")

    def __init__(self, role: str, parent: Node | None = None, alt: str | None = None, attributes: dict | None = None):
        self.role, self.parent, self.alt = role, parent, alt
        self.attributes: dict[str, str | int] = attributes or {}  # names, e.g. {"O": "Table", "Scope": "Column"}; numbers
        self.kids: list = []  # Node | ("mc", page, mcid) | ("annot", page, name)
        self.attached = parent is None
        self.link: Node | None = None  # a TOCI's Link: the line's text and its annotation
        self.description = ""  # a link's words, for its annotation

    def attach(self) -> None:
        """Enter the tree after the siblings already drawn: the tree follows the reading order."""
        if self.attached:
            return
        self.parent.attach()
        self.parent.kids.append(self)
        self.attached = True

    def text_owner(self) -> Node:
        return self.link or self


# --- roles: one pass over the story ------------------------------------------------------------

class Figure(Flowable):
    """A drawing (a chart) as a figure with alternative text; the drawing itself may be shared between packs."""

    struct_role = "Figure"

    def __init__(self, drawing: Flowable, alt: str):
        super().__init__()
        self.drawing, self.alt = drawing, alt
        self.hAlign = getattr(drawing, "hAlign", "LEFT")

    def wrap(self, available_width, available_height):
        self.width, self.height = self.drawing.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self):
        self.drawing.drawOn(self.canv, 0, 0)


def mark(flowable: Flowable, role: str) -> Flowable:
    """Give ``flowable`` a role :func:`structure` uses instead of the one its style implies."""
    flowable.struct_role = role
    return flowable


def structure(story: list) -> Node:
    """Give every flowable of ``story`` its structure element; return the Document element."""
    document = Node("Document")
    state = {"sect": document, "group": None}

    def group(role: str) -> Node:
        if state["group"] is None or state["group"].role != role:
            state["group"] = Node(role, state["sect"])
        return state["group"]

    def visit(flowable) -> None:
        role = _role(flowable)
        if role is None:
            if isinstance(flowable, KeepTogether):
                for inner in flowable._content:
                    visit(inner)
            return
        if role != "LI" and role != "TOCI":
            state["group"] = None
        if role == "H1":
            state["sect"] = Node("Sect", document)
        if role == "TABLE":
            _tag_table(flowable, Node("Table", state["sect"]))
        elif role == "LAYOUT":
            _tag_table(flowable, state["sect"], layout=True)
        elif role == "LI":
            item = Node("LI", group("L"))
            _tag(flowable, Node("LBody", item))
        elif role == "TOCI":
            item = Node("TOCI", group("TOC"))
            item.link = Node("Link", item)
            item.description = getattr(flowable, "text", "")
            _tag(flowable, item, deferred=True)
        else:
            _tag(flowable, Node(role, state["sect"], alt=getattr(flowable, "alt", None)))

    for flowable in story:
        visit(flowable)
    return document


def _role(flowable) -> str | None:
    role = getattr(flowable, "struct_role", None)
    if role:
        return role
    if isinstance(flowable, Table):
        return "TABLE" if flowable.repeatRows else "LAYOUT"
    if isinstance(flowable, Paragraph):
        if hasattr(flowable, "level") and hasattr(flowable, "toc_text"):  # a Heading of the contents
            return "H1" if flowable.level == 0 else "H2"
        name = flowable.style.name
        return HEADING_STYLES.get(name) or ("LI" if name in LIST_STYLES else "P")
    return None


class _Tagged:
    """Mixed into a tagged flowable's class: its drawing is marked content of its element."""

    _struct: Node
    _deferred = False  # drawn on save (a contents line's text): here only its place in the tree

    def drawOn(self, canvas, x, y, _sW=0):
        if not isinstance(canvas, TaggingCanvas):
            return super().drawOn(canvas, x, y, _sW)
        if self._deferred:
            self._struct.attach()
            previous, canvas.current_node = canvas.current_node, self._struct
            try:
                return super().drawOn(canvas, x, y, _sW)
            finally:
                canvas.current_node = previous
        opened = canvas.begin_marked(self._struct)
        super().drawOn(canvas, x, y, _sW)
        if opened:
            canvas.end_marked()

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        for part in parts:
            _tag(part, self._struct, self._deferred)
        return parts


@functools.cache
def _tagged_class(cls: type) -> type:
    return type("Tagged" + cls.__name__, (_Tagged, cls), {})


def _tag(flowable, node: Node, deferred: bool = False) -> None:
    if not isinstance(flowable, _Tagged):
        flowable.__class__ = _tagged_class(type(flowable))
    flowable._struct, flowable._deferred = node, deferred


class _TableCells:
    """A table's cells as TR/TH/TD (or, for a layout, a P per cell), marked through ReportLab's render callback."""

    def __init__(self, table: Node | None, parent: Node, rows: int, columns: int, header_rows: int, layout: bool,
                 row_headers: frozenset[int] = frozenset()):
        self.cells: list[list[Node]] = []
        self.open = False
        for row in range(rows):
            if layout:
                self.cells.append([Node("P", parent) for _ in range(columns)])
                continue
            tr = Node("TR", table)
            if row in row_headers:  # a group's line: one header cell spanning the row (the others are never drawn)
                self.cells.append([Node("TH", tr, attributes={"O": "Table", "Scope": "Row", "ColSpan": columns})]
                                  + [Node("TD", tr) for _ in range(columns - 1)])
                continue
            header = row < header_rows
            self.cells.append([Node("TH", tr, attributes={"O": "Table", "Scope": "Column"})
                               if header else Node("TD", tr) for _ in range(columns)])

    def __call__(self, table, event, *args):
        canvas = table.canv
        if not isinstance(canvas, TaggingCanvas):
            return
        if event == "startCell":
            row, column = args[0], args[1]
            source = table._ledinfo_rows[row]
            # None: a header row repeated on a continued page, an artifact (it was read once already)
            self.open = source is not None and canvas.begin_marked(self.cells[source][column])
        elif event == "endCell" and self.open:
            canvas.end_marked()
            self.open = False


def _tag_table(table: Table, node: Node, layout: bool = False) -> None:
    rows, columns = len(table._cellvalues), len(table._cellvalues[0]) if table._cellvalues else 0
    # a grouped list's group lines (render/grouped.py) are header cells of their rows
    table._renderCB = _TableCells(None if layout else node, node, rows, columns, table.repeatRows, layout,
                                  frozenset(getattr(table, "group_rows", ())))
    table._ledinfo_rows = list(range(rows))
    table.__class__ = _tagged_table_class(type(table))


class _TaggedTable:
    """Keeps track, across page breaks, of which row of the whole table each row of a piece is."""

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        if len(parts) == 2:
            first, rest = parts
            cut = len(first._cellvalues)
            first._ledinfo_rows = self._ledinfo_rows[:cut]
            repeated = len(rest._cellvalues) - (len(self._cellvalues) - cut)
            rest._ledinfo_rows = [None] * repeated + self._ledinfo_rows[cut:]
        elif len(parts) == 1:
            parts[0]._ledinfo_rows = self._ledinfo_rows
        return parts


@functools.cache
def _tagged_table_class(cls: type) -> type:
    return type("Tagged" + cls.__name__, (_TaggedTable, cls), {})


# --- the canvas: marked content and the tree ----------------------------------------------------

class _Link(pdfdoc.LinkAnnotation):
    permitted = pdfdoc.LinkAnnotation.permitted + ("StructParent",)


class TaggingCanvas(rl_canvas.Canvas):
    """A canvas that marks content for a structure tree (:func:`structure`) and writes the tree on save."""

    document_node: Node | None = None  # set by the document before the build

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("pdfVersion", (1, 7))  # PDF/UA-1 rests on PDF 1.7 (ISO 32000-1)
        super().__init__(*args, **kwargs)
        self._page_mcids: dict[int, list[Node]] = {}  # page -> the element owning each MCID
        self._annotations: list[tuple[str, Node]] = []  # (annotation name, its Link element)
        self._gap = 0  # where this page's content not yet marked starts in the stream
        self.marking = False
        self.current_node: Node | None = None

    def _startPage(self):
        super()._startPage()
        self._gap = 0

    def _close_gap(self) -> None:
        """Whatever was drawn since the last marked content is page furniture: an artifact."""
        if len(self._code) > self._gap:
            self._code.insert(self._gap, "/Artifact BMC")
            self._code.append("EMC")
        self._gap = len(self._code)

    def begin_marked(self, node: Node) -> bool:
        """Open ``node``'s marked content; False if content is open already (the inner part belongs to it)."""
        if self.marking:
            return False
        self._close_gap()
        node.attach()
        owner = node.text_owner()
        owner.attach()
        mcids = self._page_mcids.setdefault(self._pageNumber, [])
        owner.kids.append(("mc", self._pageNumber, len(mcids)))
        self._code.append(f"/{owner.role} <</MCID {len(mcids)}>> BDC")
        mcids.append(owner)
        self.marking = True
        return True

    @contextlib.contextmanager
    def marked(self, node: Node | None):
        """Draw inside ``node``'s marked content (outside any, as an artifact, for None)."""
        opened = node is not None and self.begin_marked(node)
        try:
            yield
        finally:
            if opened:
                self.end_marked()

    def end_marked(self) -> None:
        self._code.append("EMC")
        self._gap = len(self._code)
        self.marking = False

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1, thickness=0,
                 color=None, dashArray=None, **kw):
        """A link inside a tagged element (a contents line) is that element's Link, with a description."""
        node = self.current_node
        if node is None or node.link is None:
            return super().linkRect(contents, destinationname, Rect, addtopage, name, relative, thickness, color,
                                    dashArray, **kw)
        name = name or f"TaggedLink{len(self._annotations)}"
        kw.update(Rect=self._absRect(Rect, relative), Contents=contents or node.description,
                  Destination=self._bookmarkReference(destinationname),
                  StructParent=len(self._annotations))
        rl_canvas._annFormat(kw, color, thickness, dashArray)
        self._annotations.append((name, node.link))
        node.link.kids.append(("annot", self._pageNumber, name))
        return self._addAnnotation(_Link(**kw), name, addtopage)

    def showPage(self):
        self._close_gap()
        number = self._pageNumber
        super().showPage()
        page = self._doc.Pages.pages[-1]
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = len(self._annotations) + number - 1  # the annotations' keys come first
        page.Tabs = PDFName("S")

    def save(self):
        if self.document_node is not None:
            self._write_structure()
        super().save()

    def _write_structure(self) -> None:
        doc = self._doc
        names: dict[int, str] = {}
        order: list[Node] = []

        def number(node: Node) -> None:
            names[id(node)] = f"StructElem{len(order)}"
            order.append(node)
            for kid in node.kids:
                if isinstance(kid, Node):
                    number(kid)

        number(self.document_node)
        for node in order:
            doc.Reference(_StructElem(node, names), names[id(node)])
        nums: list[tuple[int, str | list[str]]] = [(key, names[id(link)])
                                                   for key, (_, link) in enumerate(self._annotations)]
        nums += [(len(self._annotations) + page - 1, [names[id(owner)] for owner in owners])
                 for page, owners in sorted(self._page_mcids.items())]
        doc.Reference(_ParentTree(nums), "ParentTree")
        next_key = len(self._annotations) + len(self._doc.Pages.pages)
        root = PDFDictionary({"Type": PDFName("StructTreeRoot"), "K": PDFArray([PDFObjectReference(names[id(order[0])])]),
                              "ParentTree": PDFObjectReference("ParentTree"), "ParentTreeNextKey": next_key})
        catalog = doc.Catalog
        catalog.StructTreeRoot = doc.Reference(root, "StructTreeRoot")
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        self.setViewerPreference("DisplayDocTitle", "true")
        metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                             xmp(doc.info.title, doc.info.author, doc.info.subject, doc.info.producer).encode("utf-8"),
                             filters=[])
        catalog.Metadata = doc.Reference(metadata, "XMPMetadata")


class _StructElem(pdfdoc.PDFObject):
    """A structure element, written directly: a table's cells make thousands of them, and ReportLab's
    generic dictionaries format every integer as a float (that was a third of a pack's time)."""

    def __init__(self, node: Node, names: dict[int, str]):
        self.node, self.names = node, names

    def format(self, document):
        number = document.idToObjectNumberAndVersion
        refs = document.__dict__.setdefault("_ledinfo_refs", {})  # each object's reference written once a document

        def ref(name: str) -> str:
            found = refs.get(name)
            if found is None:
                found = refs[name] = "{} {} R".format(*number[name])
            return found

        node = self.node
        page = next((kid[1] for kid in node.kids if isinstance(kid, tuple)), None)
        kids = []
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(ref(self.names[id(kid)]))
            elif kid[0] == "mc":
                kids.append(str(kid[2]) if kid[1] == page else
                            f"<< /Type /MCR /Pg {ref(_page_name(kid[1]))} /MCID {kid[2]} >>")
            else:
                kids.append(f"<< /Type /OBJR /Obj {ref(document.annotationName(kid[2]))} "
                            f"/Pg {ref(_page_name(kid[1]))} >>")
        parent = ref(self.names[id(node.parent)]) if node.parent else ref("StructTreeRoot")
        entries = [f"/S /{node.role} /P {parent}", "/K " + (kids[0] if len(kids) == 1 else f"[{' '.join(kids)}]")]
        if page is not None:
            entries.append(f"/Pg {ref(_page_name(page))}")
        if node.attributes:
            entries.append("/A << " + " ".join(f"/{key} {value}" if isinstance(value, int) else f"/{key} /{value}"
                                               for key, value in node.attributes.items()) + " >>")
        text = _encoded("<< " + " ".join(entries))
        if node.alt:
            text += b" /Alt " + PDFString(node.alt).format(document)
        return text + b" >>"


class _ParentTree(pdfdoc.PDFObject):
    """The number tree from each page's MCIDs (and each link annotation) to the elements that own them."""

    def __init__(self, nums: list[tuple[int, str | list[str]]]):
        self.nums = nums

    def format(self, document):
        number = document.idToObjectNumberAndVersion
        entries = []
        for key, value in self.nums:
            if isinstance(value, str):
                entries.append("{} {} {} R".format(key, *number[value]))
            else:
                entries.append(f"{key} [" + " ".join("{} {} R".format(*number[name]) for name in value) + "]")
        return _encoded("<< /Nums [" + "\n".join(entries) + "] >>")


def _encoded(text: str) -> bytes:
    """``text`` in PDFDocEncoding, which is ASCII for ASCII but for 24–31 (a tree's names, numbers and brackets have
    none): ReportLab's encoder, a codec in Python, took about a third of writing the tree's elements."""
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return pdfdoc.pdfdocEnc(text)


def _page_name(number: int) -> str:
    return f"Page{number}"  # ReportLab's name for its page objects


def xmp(title: str, author: str, subject: str, producer: str) -> str:
    """The XMP packet: the title, author and subject the Info dictionary has, and the PDF/UA-1 identification."""
    def text(value: str) -> str:
        return escape(value or "")

    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{text(author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(subject)}</rdf:li></rdf:Alt></dc:description>
<pdf:Producer>{text(producer)}</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
