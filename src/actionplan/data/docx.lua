-- pandoc filter of actionplan's DOCX (actionplan.render.docx): what pandoc's HTML reader and
-- DOCX writer do not do by themselves for Word and LibreOffice readers.
--
-- 1. Metadata: only the language and direction are kept (no title block, no author).
-- 2. Languages and directions: a heading's or a table cell's `lang`/`dir` are moved onto a Div
--    (pandoc would spread a heading's over its whole section, and drops a cell's); text whose
--    direction differs from the document's is bounded by marks of its own direction, so that
--    its punctuation stays on its side (Word has no isolation of its own).
-- 3. Table columns as wide as their content: pandoc gives every column of a table holding a
--    list the same width, and a fixed layout breaks the longest words mid-word.
-- 4. The `<nav>` becomes a Word TOC field, in the document's direction.

local TEXT_WIDTH = 9638 -- twips: A4 less the reference document's two 20 mm margins
local EM = 190 -- twips: table text is 9.5 pt (render/docx.py's TABLE_TEXT_SIZE)
local CELL_PADDING = 260 -- twips: the "Table" style's 2 x 108 and the borders, rounded up
local LIST_INDENT = 284 -- twips: a list level in a cell (render/docx.py's CELL_LIST_INDENT)
local WORD_CAP = TEXT_WIDTH * 0.3 -- a longer word (an address) breaks wherever it stands
local MARKS = { ltr = "\u{200E}", rtl = "\u{200F}" }

local document_dir = "ltr"
local rtl_languages = {}

local function read_settings(meta)
  document_dir = meta.dir and pandoc.utils.stringify(meta.dir) or "ltr"
  local listed = meta["actionplan-rtl"] and pandoc.utils.stringify(meta["actionplan-rtl"]) or ""
  for code in listed:gmatch("[^,%s]+") do rtl_languages[code] = true end
  return pandoc.Meta({ lang = meta.lang, dir = meta.dir })
end

local function direction_of(attributes)
  if attributes.dir then return attributes.dir end
  local lang = attributes.lang
  if not lang then return nil end
  return rtl_languages[lang:match("^[^-]+")] and "rtl" or "ltr"
end

local function language_attributes(attributes)
  if not attributes.lang and not attributes.dir then return nil end
  return { lang = attributes.lang, dir = direction_of(attributes) }
end

-- Text in the other direction: a mark of its own direction at each end keeps its leading and
-- trailing punctuation and numbers with it ("?", "No.", "1:"), as HTML's isolation does.
local function Span(span)
  local dir = direction_of(span.attributes)
  if not dir then return nil end
  span.attributes.dir = dir
  if dir ~= document_dir and MARKS[dir] then
    span.content:insert(1, pandoc.Str(MARKS[dir]))
    span.content:insert(pandoc.Str(MARKS[dir]))
  end
  return span
end

local function Header(header)
  local moved = language_attributes(header.attributes)
  if not moved then return nil end
  header.attributes.lang, header.attributes.dir = nil, nil
  return pandoc.Div({ header }, moved)
end

------------------------------------------------------------------------------------------------
-- Column widths, after CSS's automatic table layout: each column at least as wide as its longest
-- word, the room left shared in proportion to how much more each column's lines would take.

local function char_width(code) -- thousandths of an em, Noto Sans rounded up
  if code >= 128 then return 620 end
  local char = utf8.char(code)
  if char:match("[%.,:;!'|ilj ]") then return 300 end
  if char:match("[ftrI%(%)%[%]/%-]") then return 420 end
  if char:match("[mwMW@%%]") then return 950 end
  if char:match("[A-Z]") then return 720 end
  return 600
end

local function text_width(text, scale)
  local total = 0
  for _, code in utf8.codes(text) do total = total + char_width(code) end
  return total * EM * scale / 1000
end

local function measure_text(text, indent, scale, sizes)
  for word in text:gmatch("%S+") do
    sizes.min = math.max(sizes.min, indent + math.min(text_width(word, scale), WORD_CAP))
  end
  sizes.max = math.max(sizes.max, indent + text_width(text, scale))
end

local function measure_blocks(blocks, indent, scale, sizes)
  for _, block in ipairs(blocks) do
    if block.t == "BulletList" or block.t == "OrderedList" then
      for _, item in ipairs(block.content) do
        measure_blocks(item, indent + LIST_INDENT, scale, sizes)
      end
    elseif block.t == "DefinitionList" then
      for _, item in ipairs(block.content) do
        measure_text(pandoc.utils.stringify(item[1]), indent, scale, sizes)
        for _, definition in ipairs(item[2]) do measure_blocks(definition, indent, scale, sizes) end
      end
    elseif block.t == "Div" or block.t == "BlockQuote" then
      measure_blocks(block.content, indent, scale, sizes)
    else
      measure_text(pandoc.utils.stringify(block), indent, scale, sizes)
    end
  end
end

-- Calls visit(cell, column, scale) for every cell that spans one column, with its column found
-- past the cells of the rows above that span down into its row.
local function each_cell(rows, scale, visit)
  local covered = {}
  for _, row in ipairs(rows) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      while (covered[column] or 0) > 0 do
        covered[column] = covered[column] - 1
        column = column + 1
      end
      if cell.col_span == 1 then visit(cell, column, scale) end
      for spanned = column, column + cell.col_span - 1 do covered[spanned] = cell.row_span - 1 end
      column = column + cell.col_span
    end
    for rest = column, #covered do
      if (covered[rest] or 0) > 0 then covered[rest] = covered[rest] - 1 end
    end
  end
end

local function each_section(table_, visit)
  each_cell(table_.head.rows, 1.08, visit) -- header rows are bold
  for _, body in ipairs(table_.bodies) do
    each_cell(body.head, 1.08, visit)
    each_cell(body.body, 1, visit)
  end
  each_cell(table_.foot.rows, 1, visit)
end

local function share(columns)
  local least, most, spare = 0, 0, 0
  for _, sizes in ipairs(columns) do
    least, most = least + sizes.min, most + sizes.max
  end
  local widths = {}
  for i, sizes in ipairs(columns) do
    if most <= TEXT_WIDTH then
      widths[i] = sizes.max / most
    elseif least <= TEXT_WIDTH then
      spare = most - least
      local extra = spare > 0 and (sizes.max - sizes.min) / spare or 0
      widths[i] = (sizes.min + (TEXT_WIDTH - least) * extra) / TEXT_WIDTH
    else
      widths[i] = sizes.min / least
    end
  end
  return widths
end

local function fit_columns(table_)
  local count = #table_.colspecs
  if count < 2 then return end
  local columns = {}
  for i = 1, count do columns[i] = { min = CELL_PADDING, max = CELL_PADDING } end
  each_section(table_, function(cell, column, scale)
    local sizes = columns[column]
    if not sizes then return end
    local inner = { min = 0, max = 0 }
    measure_blocks(cell.contents, 0, scale, inner)
    sizes.min = math.max(sizes.min, inner.min + CELL_PADDING)
    sizes.max = math.max(sizes.max, inner.max + CELL_PADDING)
  end)
  -- Rounded, so that the widths pandoc writes do not hang on the last digits of a float.
  for i, width in ipairs(share(columns)) do
    table_.colspecs[i] = { table_.colspecs[i][1], math.floor(width * 10000 + 0.5) / 10000 }
  end
end

local function cell_languages(table_)
  each_section(table_, function(cell)
    local moved = language_attributes(cell.attributes)
    if moved then
      cell.attributes.lang, cell.attributes.dir = nil, nil
      cell.contents = { pandoc.Div(cell.contents, moved) }
    end
  end)
end

local function Table(table_)
  fit_columns(table_)
  cell_languages(table_)
  return table_
end

------------------------------------------------------------------------------------------------
-- The table of contents.

local TOC_CLASS = "actionplan-toc"

local function xml(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function run(text, lang, dir)
  local properties = (dir == "rtl" and "<w:rtl/>" or "")
    .. (lang and ('<w:lang w:val="' .. xml(lang) .. '"/>') or "")
  if properties ~= "" then properties = "<w:rPr>" .. properties .. "</w:rPr>" end
  return "<w:r>" .. properties .. '<w:t xml:space="preserve">' .. xml(text) .. "</w:t></w:r>"
end

-- An entry's runs: a Span with a language (a label in the fallback language, a title in the
-- plan's primary one) keeps it, as in the body.
local function entry_runs(inlines)
  local runs, pending = {}, {}
  local function flush()
    if #pending > 0 then
      table.insert(runs, run(pandoc.utils.stringify(pending), nil, document_dir))
      pending = {}
    end
  end
  for _, inline in ipairs(inlines) do
    local dir = inline.t == "Span" and direction_of(inline.attributes)
    if dir then
      flush()
      table.insert(runs, run(pandoc.utils.stringify(inline), inline.attributes.lang, dir))
    else
      table.insert(pending, inline)
    end
  end
  flush()
  return table.concat(runs)
end

local function entry_inlines(part)
  local inlines, target = part.content, nil
  part:walk({ Link = function(link) target = target or link.target end })
  if #inlines == 1 and inlines[1].t == "Link" then inlines = inlines[1].content end
  return inlines, target and target:match("^#(.+)$")
end

local function collect(blocks, level, out)
  for _, block in ipairs(blocks) do
    if block.t == "BulletList" or block.t == "OrderedList" then
      for _, item in ipairs(block.content) do
        for _, part in ipairs(item) do
          if part.t == "Plain" or part.t == "Para" then
            local inlines, anchor = entry_inlines(part)
            table.insert(out, { level = level, runs = entry_runs(inlines), anchor = anchor })
          end
        end
        collect(item, level + 1, out)
      end
    elseif block.t == "Div" then
      collect(block.content, level, out)
    end
  end
end

local function linked(entry)
  if not entry.anchor then return entry.runs end
  return '<w:hyperlink w:anchor="' .. xml(entry.anchor) .. '" w:history="1">' .. entry.runs
    .. "</w:hyperlink>"
end

-- Nav level n lists headings of level n+1 (h1 is the title), styled "toc n+1" as Word does.
local function toc_field(entries)
  local depth = 1
  for _, entry in ipairs(entries) do depth = math.max(depth, entry.level) end
  local begin = '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
    .. '<w:r><w:instrText xml:space="preserve"> TOC \\o "2-' .. (depth + 1)
    .. '" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
  local finish = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
  local bidi = document_dir == "rtl" and "<w:bidi/>" or ""
  if #entries == 0 then
    return "<w:p><w:pPr>" .. bidi .. "</w:pPr>" .. begin .. finish .. "</w:p>"
  end
  local paragraphs = {}
  for i, entry in ipairs(entries) do
    table.insert(paragraphs, '<w:p><w:pPr><w:pStyle w:val="TOC' .. (entry.level + 1)
      .. '"/>' .. bidi .. "</w:pPr>" .. (i == 1 and begin or "") .. linked(entry)
      .. (i == #entries and finish or "") .. "</w:p>")
  end
  return table.concat(paragraphs)
end

local function Div(div)
  if not div.classes:includes(TOC_CLASS) then return nil end
  local blocks = {}
  for _, block in ipairs(div.content) do
    if block.t == "Header" then
      local content, moved = block.content, language_attributes(block.attributes)
      if moved then content = { pandoc.Span(content, moved) } end
      table.insert(blocks, pandoc.Div({ pandoc.Para(content) },
                                      { ["custom-style"] = "TOC Heading" }))
      break
    end
  end
  local entries = {}
  collect(div.content, 1, entries)
  table.insert(blocks, pandoc.RawBlock("openxml", toc_field(entries)))
  return blocks
end

return {
  { Meta = read_settings },
  { Span = Span },
  { Div = Div },
  { Header = Header, Table = Table },
}
