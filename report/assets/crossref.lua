--[[ crossref.lua: numbering and cross-references, as a Quarto book does them, in Swedish.

Second of three filters. After quarto.lua. The scheme and its words come from the metadata
`samverkan-numbering` (samverkan/book/numbering.py, the one home of both):

  * chapters are numbered 1, 2, ... and, after the appendix heading, A, B, ...; sections
    4.1, 4.1.1 up to `number-depth` (default 3); headings with .unnumbered (and everything under
    an unnumbered chapter) are not numbered; an appendix's sections are left out of the table of
    contents (.unlisted), which lists the appendices themselves;
  * figures with a fig- id and tables with a tbl- id are numbered within their chapter, as in a
    Quarto book: "Figur 4.1: caption", "Tabell H.2: caption" (with `chapters: false`, one
    sequence through the document: "Figur 1");
  * @fig-x, @tbl-x, @sec-x become links reading "Figur 4.1", "Tabell 2.3", "Kapitel 3",
    "Bilaga A", "Avsnitt 2.1" ([-@fig-x] gives the number only; @Fig-x is accepted);
    several in one bracket are joined with "och". An unknown label prints "?@label" in bold and
    a warning on stderr. Citations that are not cross-references are printed as written.
]]

local stringify = pandoc.utils.stringify

local NBSP = "\u{00A0}"
-- defaults; Pandoc() replaces them with the metadata's samverkan-numbering
local FLOAT_TITLE = { fig = "Figur", tbl = "Tabell" }
local SECTION_PREFIX = { ch = "Kapitel", apx = "Bilaga", sec = "Avsnitt" }
local by_chapter = true

local labels = {} -- id -> { kind = "fig"|"tbl"|"ch"|"apx"|"sec", number = "1.2" | nil, text = ... }

local function has_class(el, name)
  for _, c in ipairs(el.classes or {}) do
    if c == name then return true end
  end
  return false
end

local function letter(n)
  local s = ""
  while n > 0 do
    local r = (n - 1) % 26
    s = string.char(65 + r) .. s
    n = (n - 1) // 26
  end
  return s
end

local function warn(message)
  io.stderr:write("crossref: " .. message .. "\n")
end

local function register(id, entry)
  if id == nil or id == "" then return end
  if labels[id] then
    warn("the label " .. id .. " is used twice")
  end
  labels[id] = entry
end

-- Numbering -------------------------------------------------------------------------------

local depth = 3
local counters = {}
local appendix = false
local unnumbered_chapter = false
local floats = { fig = 0, tbl = 0 }
local chapter_number = "" -- "4", "H"; "" in an unnumbered chapter or before the first one

local function number_header(h)
  local level = h.level
  if has_class(h, "book-appendices") then
    appendix = true
    counters = {}
  end
  if appendix and level > 1 and not has_class(h, "unlisted") then
    h.classes:insert("unlisted")
  end
  local skip = has_class(h, "unnumbered") or has_class(h, "book-part")
    or has_class(h, "book-appendices")
  if level == 1 then
    unnumbered_chapter = skip
    chapter_number = ""
    if by_chapter then floats = { fig = 0, tbl = 0 } end
  end
  if skip or unnumbered_chapter or level > depth then
    register(h.identifier, { kind = level == 1 and "ch" or "sec", text = stringify(h.content) })
    if not has_class(h, "unnumbered") then table.insert(h.classes, "unnumbered") end
    return h
  end
  counters[level] = (counters[level] or 0) + 1
  for deeper = level + 1, #counters + 1 do counters[deeper] = nil end
  local pieces = {}
  for i = 1, level do
    local n = counters[i] or 0
    pieces[i] = (i == 1 and appendix) and letter(n) or tostring(n)
  end
  local number = table.concat(pieces, ".")
  if level == 1 then chapter_number = number end
  local kind = level == 1 and (appendix and "apx" or "ch") or "sec"
  register(h.identifier, { kind = kind, number = number, text = stringify(h.content) })
  h.content:insert(1, pandoc.Space())
  h.content:insert(1, pandoc.Span({ pandoc.Str(number) }, pandoc.Attr("", { "header-section-number" })))
  return h
end

local function caption_label(kind, number)
  return pandoc.Span({ pandoc.Str(FLOAT_TITLE[kind] .. NBSP .. number .. ":") },
    pandoc.Attr("", { "caption-label" }))
end

-- Prepend "Figur 1:" to a caption (a list of blocks); an empty caption gets the label alone.
local function label_caption(long, kind, number)
  local label = caption_label(kind, number)
  if #long == 0 then
    return { pandoc.Plain({ label }) }
  end
  local first = long[1]
  if first.t == "Plain" or first.t == "Para" then
    first.content:insert(1, pandoc.Space())
    first.content:insert(1, label)
  else
    table.insert(long, 1, pandoc.Plain({ label }))
  end
  return long
end

local function float_kind(id)
  return id and id:match("^(%a+)%-") or nil
end

local function number_float(kind, id, caption)
  floats[kind] = floats[kind] + 1
  local number = tostring(floats[kind])
  if by_chapter and chapter_number ~= "" then
    number = chapter_number .. "." .. number
  end
  register(id, { kind = kind, number = number })
  caption.long = label_caption(caption.long, kind, number)
  return caption
end

local numbering = {
  traverse = "topdown",
  Header = number_header,
  Figure = function(fig)
    local kind = float_kind(fig.identifier)
    if FLOAT_TITLE[kind] then
      fig.caption = number_float(kind, fig.identifier, fig.caption)
    end
    return fig
  end,
  Table = function(tbl)
    local kind = float_kind(tbl.identifier)
    if kind == "tbl" then
      tbl.caption = number_float(kind, tbl.identifier, tbl.caption)
    end
    return tbl
  end,
}

-- References ------------------------------------------------------------------------------

local function lookup(id)
  local key = id:sub(1, 1):lower() .. id:sub(2)
  return key, labels[key]
end

local function is_crossref(id)
  local kind = id:lower():match("^(%a+)%-")
  return kind == "fig" or kind == "tbl" or kind == "sec"
end

local function reference(citation)
  local key, entry = lookup(citation.id)
  if entry == nil then
    warn("unresolved reference @" .. citation.id)
    return { pandoc.Strong({ pandoc.Str("?@" .. citation.id) }) }
  end
  local text
  if entry.number == nil then
    text = entry.text or key
  elseif citation.mode == "SuppressAuthor" then
    text = entry.number
  elseif FLOAT_TITLE[entry.kind] then
    text = FLOAT_TITLE[entry.kind] .. NBSP .. entry.number
  else
    text = SECTION_PREFIX[entry.kind] .. NBSP .. entry.number
  end
  local out = pandoc.Inlines({})
  if #citation.prefix > 0 then
    out:extend(citation.prefix)
    out:insert(pandoc.Space())
  end
  out:insert(pandoc.Link({ pandoc.Str(text) }, "#" .. key))
  if #citation.suffix > 0 then
    out:extend(citation.suffix)
  end
  return out
end

local function resolve_cite(cite)
  local any = false
  for _, c in ipairs(cite.citations) do
    if is_crossref(c.id) then any = true end
  end
  if not any then
    return cite.content -- not a cross-reference: print it as written
  end
  local out = pandoc.Inlines({})
  local n = #cite.citations
  for i, c in ipairs(cite.citations) do
    if i > 1 and i == n then
      out:extend({ pandoc.Space(), pandoc.Str("och"), pandoc.Space() })
    elseif i > 1 then
      out:extend({ pandoc.Str(","), pandoc.Space() })
    end
    out:extend(reference(c))
  end
  return out
end

local function read_scheme(meta)
  local scheme = meta["samverkan-numbering"]
  if scheme == nil then return end
  local function word(key, default)
    return scheme[key] and stringify(scheme[key]) or default
  end
  FLOAT_TITLE = { fig = word("figure", FLOAT_TITLE.fig), tbl = word("table", FLOAT_TITLE.tbl) }
  SECTION_PREFIX = {
    ch = word("chapter", SECTION_PREFIX.ch),
    apx = word("appendix", SECTION_PREFIX.apx),
    sec = word("section", SECTION_PREFIX.sec),
  }
  if scheme["chapters"] ~= nil then by_chapter = scheme["chapters"] == true end
end

function Pandoc(doc)
  read_scheme(doc.meta)
  if doc.meta["number-depth"] then
    depth = tonumber(stringify(doc.meta["number-depth"])) or depth
  end
  doc = doc:walk(numbering)
  return doc:walk({ Cite = resolve_cite })
end
