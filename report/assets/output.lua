--[[ output.lua: format-specific rendering for the embedded renderer.

Last of three filters. HTML: page breaks as a div the print CSS breaks at; callouts stay divs
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
      for part in word:gmatch("[^%-_]+") do
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

local function keep_together(block)
  return { pandoc.RawBlock("typst", "#block(breakable: false)["), block,
           pandoc.RawBlock("typst", "]") }
end

local typst = {
  traverse = "topdown",
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
      local rows = 0
      fig.content:walk({ Row = function() rows = rows + 1 end })
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

local html = {
  -- a wide table scrolls inside its own box instead of widening the page
  Table = function(tbl)
    return pandoc.Div({ tbl }, pandoc.Attr("", { "table-scroll" }))
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
  if doc.meta.nobreak then
    for word in stringify(doc.meta.nobreak):gmatch("[^|]+") do county_words[word] = true end
  end
  return doc:walk(TYPST and typst or html)
end
