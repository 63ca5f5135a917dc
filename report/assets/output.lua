--[[ output.lua: format-specific rendering for the embedded renderer.

Last of three filters, and the only one run once per output format (render.py). Image paths
arrive as "/x" (the project root, quarto.lua): typst resolves them against its root, the HTML
writer gets them absolute (metadata book-root). HTML: page breaks as a div the print CSS breaks at; callouts stay divs
(styled by rapport.css); tables sit in a box that scrolls sideways when they are wide. Typst: figures and images are written as typst code so that the image
keeps its alt text (pandoc's typst writer drops it), callouts call `callout()` from the
template, page breaks call `pagebreak()`.
]]

local stringify = pandoc.utils.stringify
local TYPST = FORMAT:match("typst") ~= nil

local function has_class(el, name)
  for _, c in ipairs(el.classes or {}) do
    if c == name then return true end
  end
  return false
end

local function typst_string(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ") .. '"'
end

local function typst_inlines(inlines)
  local text = pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), "typst")
  return (text:gsub("%s+$", ""))
end

local function typst_image(img)
  local args = { typst_string(img.src) }
  local alt = img.attributes["alt"] or stringify(img.caption)
  if alt ~= "" then table.insert(args, "alt: " .. typst_string(alt)) end
  local width = img.attributes["width"]
  if width then
    local pct = width:match("^([%d.]+)%%$")
    table.insert(args, "width: " .. (pct and (pct .. "%") or width))
  end
  return "image(" .. table.concat(args, ", ") .. ")"
end

local function figure_images(fig)
  local images = {}
  fig.content:walk({ Image = function(img) table.insert(images, typst_image(img)) end })
  return images
end

-- Column widths for a typst table that would not fit the text column: typst shrinks every
-- auto column alike, so a header word ("Kontaktkolumner") or a county name could be squeezed
-- into its neighbour. Each column gets at least its longest unbreakable word (header words,
-- numbers and county names never break; a file name breaks at "-"), and what is left is shared
-- in proportion to how much more each column would like. Widths are counted in characters.
local SHORT_TABLE_ROWS = 24 -- a table of at most this many rows never breaks across pages
local TEXT_CHARS = 96 -- the text column (16 cm) in 9 pt table characters
local county_words = {}

local function words_of(text, breakable)
  local longest = 0
  for word in text:gmatch("[^%s]+") do
    local n = utf8.len(word) or #word
    if breakable then
      for part in word:gmatch("[^%-_%.]+") do
        local m = (utf8.len(part) or #part) + 1
        if m > longest then longest = m end
      end
      if county_words[word:gsub("[%p]+$", "")] and n > longest then longest = n end
    elseif n > longest then
      longest = n
    end
  end
  return longest
end

local function column_widths(tbl)
  local n = #tbl.colspecs
  local least, want = {}, {}
  for i = 1, n do least[i], want[i] = 1, 1 end
  local function visit(row, header)
    for i, cell in ipairs(row.cells) do
      if i > n then break end
      local text = stringify(cell.contents)
      local numeric = text:match("^[%d%s\194\160,%%−%-kravKR]+$") ~= nil
      local w = words_of(text, not header and not numeric)
      local len = utf8.len(text) or #text
      local scale = header and 1.3 or text:match("^%d%d%-.*%.[cx]") and 1.2 or 1 -- bold, mono
      w, len = math.ceil(w * scale), math.ceil(len * scale)
      least[i] = math.max(least[i], w)
      want[i] = math.max(want[i], math.min(len, 40), w)
    end
  end
  for _, row in ipairs(tbl.head.rows) do visit(row, true) end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do visit(row, false) end
  end
  local room = TEXT_CHARS
  local sum_least, sum_want = 0, 0
  for i = 1, n do
    least[i], want[i] = least[i] + 3, want[i] + 3 -- the cell's inset, 5 pt on each side
    sum_least, sum_want = sum_least + least[i], sum_want + want[i]
  end
  if sum_want <= room then return nil end -- fits: typst's own auto widths
  local widths = {}
  local spare = math.max(room - sum_least, 0)
  local extra = sum_want - sum_least
  for i = 1, n do
    widths[i] = least[i] + (extra > 0 and spare * (want[i] - least[i]) / extra or 0)
  end
  local total = 0
  for i = 1, n do total = total + widths[i] end
  for i = 1, n do widths[i] = widths[i] / total end
  return widths
end

-- `keep-together` (rapport.typ) keeps a table on one page unless it is taller than a page
local function keep_together(block)
  return { pandoc.RawBlock("typst", "#keep-together["), block,
           pandoc.RawBlock("typst", "]") }
end

-- Rows of a table, or of the tables in a table float (0 for anything else). Lua filters have
-- no Row element to walk, so rows are counted from each Table's head and bodies.
local function table_rows(block)
  local rows = 0
  local function count(tbl)
    rows = rows + #tbl.head.rows
    for _, body in ipairs(tbl.bodies) do rows = rows + #body.body end
  end
  if block.t == "Table" then
    count(block)
  elseif block.t == "Figure" and #figure_images(block) == 0 then
    block:walk({ Table = function(tbl) count(tbl) end })
  end
  return rows
end

-- Around tables, in a list of blocks: a short table stays on the page of the paragraph or the
-- short table before it (so no page holds a short table alone), and a long table starts on a
-- new page unless its caption, header and first three rows fit on this one (`needs-room` in
-- rapport.typ).
local function table_neighbours(blocks)
  local out = pandoc.Blocks({})
  local previous_rows = 0
  for _, block in ipairs(blocks) do
    local rows = table_rows(block)
    local last = out[#out]
    local short = rows > 0 and rows <= SHORT_TABLE_ROWS
    -- (a paragraph right after a figure is its description: it stays with the figure)
    local before = out[#out - 1]
    local text = last and last.t == "Para" and not (before and before.t == "Figure")
    if short and last and (text or previous_rows > 0) then
      out[#out] = pandoc.RawBlock("typst", "#block(sticky: true)[")
      out:insert(last)
      out:insert(pandoc.RawBlock("typst", "]"))
    elseif rows > SHORT_TABLE_ROWS then
      out:insert(pandoc.RawBlock("typst", "#needs-room(table-room)"))
    end
    out:insert(block)
    previous_rows = short and rows or 0
  end
  return out
end

local typst = {
  traverse = "topdown",
  Blocks = table_neighbours,
  Table = function(tbl)
    local widths = column_widths(tbl)
    if widths then
      for i, spec in ipairs(tbl.colspecs) do
        tbl.colspecs[i] = { spec[1], widths[i] }
      end
    end
    local rows = #tbl.head.rows
    for _, body in ipairs(tbl.bodies) do rows = rows + #body.body end
    if rows <= SHORT_TABLE_ROWS then return keep_together(tbl), false end
    return tbl
  end,
  Figure = function(fig)
    local images = figure_images(fig)
    if #images == 0 then
      -- a table float: pandoc's writer does it; a short table is kept on one page, so that no
      -- page ends or starts with a lone row of it (long tables still break across pages)
      local rows = table_rows(fig)
      if rows > 0 and rows <= SHORT_TABLE_ROWS then return keep_together(fig) end
      return nil
    end
    local body = #images == 1 and images[1]
      or ("stack(spacing: 0.8em, " .. table.concat(images, ", ") .. ")")
    local caption = ""
    if #fig.caption.long > 0 then
      local inlines = pandoc.utils.blocks_to_inlines(fig.caption.long)
      caption = ", caption: [" .. typst_inlines(inlines) .. "]"
    end
    local label = fig.identifier ~= "" and (" <" .. fig.identifier .. ">") or ""
    return pandoc.RawBlock("typst", "#figure(" .. body .. caption .. ")" .. label), false
  end,
  Image = function(img)
    return pandoc.RawInline("typst", "#box(" .. typst_image(img) .. ")")
  end,
  Header = function(h)
    if h.level == 1 and (has_class(h, "book-appendices") or has_class(h, "book-part")) then
      return { h, pandoc.RawBlock("typst", "#after-part.update(true)") }
    end
  end,
  Div = function(div)
    if has_class(div, "pagebreak") then
      return pandoc.RawBlock("typst", "#pagebreak(weak: true)")
    end
    if has_class(div, "callout") then
      local title, body = div.content[1], div.content[2]
      local open = '#callout(kind: "' .. (div.attributes["kind"] or "note") .. '", title: ['
        .. typst_inlines(pandoc.utils.blocks_to_inlines(title.content)) .. "])["
      local out = pandoc.Blocks({ pandoc.RawBlock("typst", open) })
      out:extend(body.content)
      out:insert(pandoc.RawBlock("typst", "]"))
      return out
    end
  end,
}

local function html_escape(s)
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function header_names(tbl)
  local names = {}
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do
      local text = stringify(cell.contents)
      if text ~= "" then table.insert(names, text) end
    end
  end
  return table.concat(names, ", ")
end

local root = "."

local html = {
  Image = function(img)
    if img.src:sub(1, 1) == "/" and img.src:sub(1, 2) ~= "//" then
      img.src = root .. img.src
      return img
    end
  end,
  -- A table: its caption above, outside the box that scrolls sideways when the table is wider
  -- than the page (so a phone never cuts the caption), and that box a named region a keyboard
  -- can reach (tabindex 0) and scroll; a table without caption is named after its columns.
  Table = function(tbl)
    local blocks = {}
    local box = { { "tabindex", "0" }, { "role", "region" } } -- pairs: a fixed order
    if #tbl.caption.long > 0 and tbl.identifier ~= "" then
      local id = tbl.identifier .. "-caption"
      table.insert(blocks, pandoc.Div(tbl.caption.long, pandoc.Attr(id, { "table-caption" })))
      tbl.caption.long = pandoc.Blocks({})
      tbl.attributes["aria-labelledby"] = id
      table.insert(box, { "aria-labelledby", id })
    else
      local names = header_names(tbl)
      table.insert(box, { "aria-label", names ~= "" and ("Tabell: " .. names) or "Tabell" })
    end
    table.insert(blocks, pandoc.Div({ tbl }, pandoc.Attr("", { "table-scroll" }, box)))
    return pandoc.Div(blocks, pandoc.Attr("", { "table-float" }))
  end,
  -- a file name or field name breaks only after "-", "_" and "." (never inside a word)
  Code = function(code)
    if code.identifier ~= "" or #code.classes > 0 or code.text:find("%s") then return nil end
    local text = html_escape(code.text):gsub("([%-_%.])", "%1<wbr>")
    return pandoc.RawInline("html", "<code>" .. text .. "</code>")
  end,
  Div = function(div)
    if has_class(div, "pagebreak") then
      return pandoc.RawBlock("html", '<div class="pagebreak" aria-hidden="true"></div>')
    end
    if has_class(div, "callout") then
      div.attributes["role"] = "note"
      div.attributes["kind"] = nil
      return div
    end
  end,
}

function Pandoc(doc)
  if doc.meta["book-root"] then root = stringify(doc.meta["book-root"]) end
  if doc.meta.nobreak then
    local pattern = stringify(doc.meta.nobreak)
    for word in pattern:gmatch("[^|]+") do county_words[word] = true end
    -- the template's regex, as it is: the writers' escaping of a Str of some 700 names costs
    -- pandoc's typst writer a tenth of a second per document
    doc.meta.nobreak = pandoc.MetaInlines({ pandoc.RawInline(TYPST and "typst" or "html",
                                                             pattern) })
  end
  return doc:walk(TYPST and typst or html)
end
