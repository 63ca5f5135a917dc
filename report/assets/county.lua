--[[ county.lua: a county's own report, which holds one chapter of the national book.

Runs before quarto.lua in a county's report (samverkan/book/county_docs.py), which holds that
county's profile but not the chapters it refers to:

  * a cross-reference (@sec-x, @fig-x, @tbl-x) to a label the document does not define becomes
    plain text naming the national book: metadata `external-refs` maps a label to that text
    ("kapitlet ”Indikatorer” i den nationella rapporten"); a label missing there reads as
    `external-default`. References to labels the document defines are left to crossref.lua;
  * the profile's sections, left out of the national book's contents (.unlisted), are listed in
    the report's own.
]]

local stringify = pandoc.utils.stringify

local defined = {}
local texts = {}
local fallback = "den nationella rapporten"

local function key(id)
  return id:sub(1, 1):lower() .. id:sub(2)
end

local function is_crossref(id)
  local kind = id:lower():match("^(%a+)%-")
  return kind == "fig" or kind == "tbl" or kind == "sec"
end

local function words(text)
  local out = pandoc.Inlines({})
  for word in text:gmatch("%S+") do
    if #out > 0 then out:insert(pandoc.Space()) end
    out:insert(pandoc.Str(word))
  end
  return out
end

local function collect(el)
  if el.identifier and el.identifier ~= "" then defined[el.identifier] = true end
end

local function collect_str(el)
  -- a Markdown table's caption keeps its "{#tbl-x}" as text until quarto.lua reads it
  for id in el.text:gmatch("{#([%w%-_]+)") do defined[id] = true end
end

local function external(citation)
  return is_crossref(citation.id) and not defined[key(citation.id)]
end

local function replace(cite)
  local outside = 0
  for _, c in ipairs(cite.citations) do
    if external(c) then outside = outside + 1 end
  end
  if outside == 0 or outside < #cite.citations then return nil end
  local out = pandoc.Inlines({})
  for i, c in ipairs(cite.citations) do
    if i > 1 then
      out:extend({ pandoc.Space(), pandoc.Str(i == #cite.citations and "och" or ","),
        pandoc.Space() })
    end
    if #c.prefix > 0 then
      out:extend(c.prefix)
      out:insert(pandoc.Space())
    end
    out:insert(pandoc.Span(words(texts[key(c.id)] or fallback),
      pandoc.Attr("", { "external-ref" })))
    if #c.suffix > 0 then out:extend(c.suffix) end
  end
  return out
end

function Pandoc(doc)
  local refs = doc.meta["external-refs"]
  if refs then
    for id, text in pairs(refs) do texts[id] = stringify(text) end
  end
  if doc.meta["external-default"] then fallback = stringify(doc.meta["external-default"]) end
  doc:walk({
    Header = collect, Div = collect, Span = collect, Figure = collect, Table = collect,
    Image = collect, CodeBlock = collect, Str = collect_str,
  })
  return doc:walk({
    Cite = replace,
    Header = function(h)
      local kept = pandoc.List({})
      for _, c in ipairs(h.classes) do
        if c ~= "unlisted" then kept:insert(c) end
      end
      h.classes = kept
      return h
    end,
  })
end
