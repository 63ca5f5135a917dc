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

local typst = {
  traverse = "topdown",
  Figure = function(fig)
    local images = figure_images(fig)
    if #images == 0 then return nil end -- e.g. a table float: pandoc's writer does it
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
  return doc:walk(TYPST and typst or html)
end
