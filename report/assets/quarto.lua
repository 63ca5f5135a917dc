--[[ quarto.lua: Quarto's Markdown syntax for the embedded renderer (samverkan/render.py).

First of three filters (quarto.lua, crossref.lua, output.lua). Turns the assembled book
(samverkan/book.py) into plain pandoc structure, the same for every output format:

  * figure divs  (::: {#fig-x} images + caption paragraph :::, and .nb-figure from notebooks)
    and ![caption](src){#fig-x fig-alt="..."} become Figure blocks with alt text on the image;
  * table divs   (::: {#tbl-x} table + caption paragraph :::, and .nb-table from notebooks)
    become captioned Table blocks; a notebook's HTML table (a DataFrame) is read into a real
    table with numeric columns right-aligned;
  * callouts     (::: {.callout-note title="..."} or with a first heading as title) become a
    Div.callout with a Div.callout-title and a Div.callout-body;
  * the book markers: chapter sources (for image paths), parts, appendices;
  * image paths: "/x" is relative to the project root, others to the chapter's file; every
    path becomes "/x" (project root), which output.lua makes absolute for the HTML writer.

The renderer runs it once per document, before the output formats part (render.py), so nothing
here may depend on the output format.

Metadata: samverkan-numbering.appendices (the appendix
divider's title, from samverkan/book/numbering.py).
]]

local stringify = pandoc.utils.stringify

local CALLOUT_TITLES = {
  note = "Notera", tip = "Tips", warning = "Varning",
  important = "Viktigt", caution = "Försiktigt",
}
local APPENDICES_TITLE = "Bilagor"

local function has_class(el, name)
  for _, c in ipairs(el.classes or {}) do
    if c == name then return true end
  end
  return false
end

local function starts(s, prefix)
  return s ~= nil and s:sub(1, #prefix) == prefix
end

-- Paths -----------------------------------------------------------------------------------

local function normalise(path)
  local parts = {}
  for piece in path:gmatch("[^/]+") do
    if piece == ".." then
      table.remove(parts)
    elseif piece ~= "." then
      table.insert(parts, piece)
    end
  end
  return table.concat(parts, "/")
end

local function resolve(src, source_dir)
  if src:match("^%a[%w+.-]*:") then return src end -- data:, http:, file: ...
  local rel
  if starts(src, "/") then
    rel = normalise(src)
  else
    rel = normalise(source_dir .. "/" .. src)
  end
  return "/" .. rel -- the project root
end

-- Tables ----------------------------------------------------------------------------------

local NUMBER_JUNK = {
  ["\u{00A0}"] = "", ["\u{202F}"] = "", ["\u{2009}"] = "", [" "] = "", ["\u{2212}"] = "-",
}

local function is_number(text)
  local s = text
  for k, v in pairs(NUMBER_JUNK) do s = s:gsub(k, v) end
  s = s:gsub("kr$", ""):gsub("%%$", ""):gsub("st$", "")
  return s:match("^[-+]?%d[%d.,]*$") ~= nil
end

local function is_missing(text)
  return text == "" or text == "–" or text == "-" or text == "—"
end

-- Right-align the columns whose body cells are all numbers (Swedish formatted or not).
local function align_numbers(tbl)
  local ncols = #tbl.colspecs
  for col = 1, ncols do
    local numbers, others = 0, 0
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        local cell = row.cells[col]
        if cell then
          local text = stringify(cell.contents)
          if is_number(text) then
            numbers = numbers + 1
          elseif not is_missing(text) then
            others = others + 1
          end
        end
      end
    end
    if numbers > 0 and others == 0 then
      tbl.colspecs[col] = { pandoc.AlignRight, tbl.colspecs[col][2] }
    end
  end
  return tbl
end

-- Columns without an alignment are left-aligned (typst would centre them inside the figure).
local function align_default_left(tbl)
  for i, spec in ipairs(tbl.colspecs) do
    if spec[1] == pandoc.AlignDefault then
      tbl.colspecs[i] = { pandoc.AlignLeft, spec[2] }
    end
  end
  return tbl
end

-- An HTML table's ids, classes and styles (pandas, Styler) are noise: ids come from tbl- labels.
local function strip_attrs(tbl)
  tbl.attr = pandoc.Attr()
  local function rows(list)
    for _, row in ipairs(list) do
      row.attr = pandoc.Attr()
      for _, cell in ipairs(row.cells) do cell.attr = pandoc.Attr() end
    end
  end
  rows(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    rows(body.head)
    rows(body.body)
  end
  rows(tbl.foot.rows)
  return tbl
end

local function html_table(raw)
  if not raw.format:match("html") or not raw.text:match("<[Tt][Aa][Bb][Ll][Ee]") then
    return nil
  end
  local doc = pandoc.read(raw.text, "html")
  local blocks = {}
  for _, block in ipairs(doc.blocks) do
    if block.t == "Table" then
      table.insert(blocks, align_default_left(align_numbers(strip_attrs(block))))
    end
  end
  return blocks
end

-- Figures ---------------------------------------------------------------------------------

local function set_alt(img, alt)
  if alt and alt ~= "" then
    img.attributes["alt"] = alt
  end
  img.attributes["fig-alt"] = nil
  return img
end

local function only_images(block)
  if block.t ~= "Para" and block.t ~= "Plain" then return false end
  local found = false
  for _, inline in ipairs(block.content) do
    if inline.t == "Image" then
      found = true
    elseif inline.t ~= "Space" and inline.t ~= "SoftBreak" and inline.t ~= "LineBreak" then
      return false
    end
  end
  return found
end

-- Split a float div's content into body and caption (a last paragraph that is not an image).
local function split_caption(blocks)
  local n = #blocks
  if n >= 2 and blocks[n].t == "Para" and not only_images(blocks[n]) then
    local body = pandoc.Blocks({})
    for i = 1, n - 1 do body:insert(blocks[i]) end
    return body, blocks[n].content
  end
  return blocks, nil
end

local function figure_div(div)
  local alt = div.attributes["fig-alt"]
  local body, caption = split_caption(div.content)
  if div.identifier == "" and caption == nil then
    return body
  end
  body = body:walk({ Image = function(img) return set_alt(img, img.attributes["fig-alt"] or alt) end })
  local content = pandoc.Blocks({})
  for _, block in ipairs(body) do
    if block.t == "Para" then block = pandoc.Plain(block.content) end
    content:insert(block)
  end
  local cap = caption and { pandoc.Plain(caption) } or {}
  return pandoc.Figure(content, cap, pandoc.Attr(div.identifier))
end

local function table_div(div)
  local body, caption = split_caption(div.content)
  local out = pandoc.Blocks({})
  local done = false
  for _, block in ipairs(body) do
    if block.t == "Table" and not done then
      done = true
      block.identifier = div.identifier
      if caption then
        block.caption = { long = { pandoc.Plain(caption) } }
      end
    end
    out:insert(block)
  end
  if not done then
    -- a table given as an image (or anything else): a captioned float with the tbl- id
    return pandoc.Figure(body, caption and { pandoc.Plain(caption) } or {}, pandoc.Attr(div.identifier))
  end
  return out
end

-- Callouts --------------------------------------------------------------------------------

local function callout_kind(div)
  for _, c in ipairs(div.classes) do
    local kind = c:match("^callout%-(%a+)$")
    if kind then return kind end
    if c == "callout" then return "note" end
  end
  return nil
end

local function callout(div, kind)
  local title = nil
  local content = div.content
  if div.attributes["title"] then
    title = pandoc.Inlines(pandoc.read(div.attributes["title"], "markdown").blocks[1].content)
  elseif #content > 0 and content[1].t == "Header" then
    title = content[1].content
    local rest = pandoc.Blocks({})
    for i = 2, #content do rest:insert(content[i]) end
    content = rest
  end
  title = title or pandoc.Inlines({ pandoc.Str(CALLOUT_TITLES[kind] or CALLOUT_TITLES.note) })
  return pandoc.Div({
    pandoc.Div({ pandoc.Plain(title) }, pandoc.Attr("", { "callout-title" })),
    pandoc.Div(content, pandoc.Attr("", { "callout-body" })),
  }, pandoc.Attr(div.identifier, { "callout", "callout-" .. kind }, { kind = kind }))
end

-- Walk ------------------------------------------------------------------------------------

local structure = {
  RawBlock = html_table,
  Table = align_default_left,
  Image = function(img) return set_alt(img, img.attributes["fig-alt"]) end,
  Div = function(div)
    if starts(div.identifier, "fig-") or has_class(div, "nb-figure") then
      return figure_div(div)
    end
    if starts(div.identifier, "tbl-") or has_class(div, "nb-table") then
      return table_div(div)
    end
    local kind = callout_kind(div)
    if kind then return callout(div, kind) end
    if has_class(div, "book-appendices") then
      return pandoc.Header(1, APPENDICES_TITLE, pandoc.Attr("bilagor", { "unnumbered", "book-appendices" }))
    end
    if has_class(div, "book-part") then
      return pandoc.Header(1, div.attributes["title"] or "", pandoc.Attr("", { "unnumbered", "book-part" }))
    end
  end,
}

function Pandoc(doc)
  local scheme = doc.meta["samverkan-numbering"]
  if scheme and scheme["appendices"] then APPENDICES_TITLE = stringify(scheme["appendices"]) end
  -- image paths need the chapter each block came from: the marker divs say, in order
  local source_dir = "."
  local blocks = pandoc.Blocks({})
  for _, block in ipairs(doc.blocks) do
    if block.t == "Div" and has_class(block, "book-chapter") then
      local source = block.attributes["source"] or ""
      source_dir = source:match("^(.*)/[^/]*$") or "."
    else
      local dir = source_dir
      blocks:insert(block:walk({
        Image = function(img)
          img.src = resolve(img.src, dir)
          return img
        end,
      }))
    end
  end
  doc.blocks = blocks
  return doc:walk(structure)
end
