import CPangoCairo

/// Lays one document out page by page: the clinic's lines on top, the title, the labelled
/// fields, the paragraphs broken into lines (a line never straddles a page), the footer and the
/// page number at the bottom of every page.
final class PDFPageWriter {
    private let cr: OpaquePointer
    private let content: PDFContent
    /// One layout for running text, one for the label column of the fields, one for the
    /// header and footer (a page break inside a paragraph must not touch the paragraph's).
    private let layout: OpaquePointer
    private let side: OpaquePointer
    private let chrome: OpaquePointer
    private var y = PDFPage.headerBottom
    private var page = 0

    init(_ cr: OpaquePointer, _ content: PDFContent) {
        self.cr = cr
        self.content = content
        layout = Self.makeLayout(cr, language: content.language)
        side = Self.makeLayout(cr, language: content.language)
        chrome = Self.makeLayout(cr, language: content.language)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(layout))
        g_object_unref(UnsafeMutableRawPointer(side))
        g_object_unref(UnsafeMutableRawPointer(chrome))
    }

    func write() {
        startPage()
        paragraph(content.title, font: PDFFonts.title, after: 14)
        fields()
        y += 10
        for text in content.body {
            paragraph(text, font: PDFFonts.body, after: 7)
        }
    }

    func close() {
        endPage()
    }

    // MARK: pages

    private func startPage() {
        page += 1
        var top = PDFPage.margin
        grey()
        for line in content.clinic.prefix(3) {
            set(chrome, line, font: PDFFonts.small, width: PDFPage.textWidth)
            draw(chrome, x: PDFPage.left, y: top)
            top += height(of: chrome)
        }
        let rule = max(top + 4, PDFPage.headerBottom - 8)
        cairo_set_line_width(cr, 0.5)
        cairo_move_to(cr, PDFPage.left, rule)
        cairo_line_to(cr, PDFPage.left + PDFPage.textWidth, rule)
        cairo_stroke(cr)
        black()
        y = rule + 16
    }

    private func endPage() {
        grey()
        let rule = PDFPage.bottom + 6
        cairo_set_line_width(cr, 0.5)
        cairo_move_to(cr, PDFPage.left, rule)
        cairo_line_to(cr, PDFPage.left + PDFPage.textWidth, rule)
        cairo_stroke(cr)
        let number = String(page)
        set(chrome, number, font: PDFFonts.small, width: 40)
        pango_layout_set_alignment(chrome, PANGO_ALIGN_RIGHT)
        draw(chrome, x: PDFPage.left + PDFPage.textWidth - 40, y: rule + 4)
        pango_layout_set_alignment(chrome, PANGO_ALIGN_LEFT)
        if let footer = content.footer, !footer.isEmpty {
            set(chrome, footer, font: PDFFonts.small, width: PDFPage.textWidth - 50)
            draw(chrome, x: PDFPage.left, y: rule + 4)
        }
        black()
        cairo_show_page(cr)
    }

    private func newPage() {
        endPage()
        startPage()
    }

    // MARK: blocks

    /// Labels in a bold column on the left, values beside them; a row stays on one page.
    private func fields() {
        let labelWidth = 150.0
        let valueX = PDFPage.left + labelWidth + 10
        let valueWidth = PDFPage.textWidth - labelWidth - 10
        for field in content.fields {
            set(side, field.label, font: PDFFonts.label, width: labelWidth)
            set(layout, field.value, font: PDFFonts.body, width: valueWidth)
            let row = max(height(of: side), height(of: layout))
            if y + row > PDFPage.bottom {
                if row > PDFPage.bottom - PDFPage.headerBottom - 16 {
                    // Taller than a page: the label on its own, the value as running text.
                    paragraph(field.label, font: PDFFonts.label, after: 2)
                    paragraph(field.value, font: PDFFonts.body, after: 4)
                    continue
                }
                newPage()
            }
            draw(side, x: PDFPage.left, y: y)
            draw(layout, x: valueX, y: y)
            y += row + 4
        }
    }

    /// Running text broken into lines, each placed where it fits, on the next page if needed.
    private func paragraph(_ text: String, font: String, after: Double) {
        set(layout, text, font: font, width: PDFPage.textWidth)
        guard let lines = pango_layout_get_iter(layout) else { return }
        defer { pango_layout_iter_free(lines) }
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(lines, nil, &logical)
            let lineHeight = points(logical.height)
            if y + lineHeight > PDFPage.bottom { newPage() }
            let baseline = points(pango_layout_iter_get_baseline(lines) - logical.y)
            cairo_move_to(cr, PDFPage.left + points(logical.x), y + baseline)
            pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(lines))
            y += lineHeight
        } while pango_layout_iter_next_line(lines) != 0
        y += after
    }

    // MARK: pango and cairo

    private static func makeLayout(_ cr: OpaquePointer, language: String) -> OpaquePointer {
        let layout = pango_cairo_create_layout(cr)!
        pango_context_set_language(pango_layout_get_context(layout), pango_language_from_string(language))
        pango_layout_context_changed(layout)
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        return layout
    }

    private func set(_ layout: OpaquePointer, _ text: String, font: String, width: Double) {
        let description = pango_font_description_from_string(font)
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_text(layout, text, -1)
    }

    private func draw(_ layout: OpaquePointer, x: Double, y: Double) {
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, layout)
    }

    private func height(of layout: OpaquePointer) -> Double {
        var width: Int32 = 0
        var height: Int32 = 0
        pango_layout_get_size(layout, &width, &height)
        return points(height)
    }

    private func points(_ units: Int32) -> Double {
        Double(units) / Double(PANGO_SCALE)
    }

    private func grey() { cairo_set_source_rgb(cr, 0.38, 0.38, 0.38) }
    private func black() { cairo_set_source_rgb(cr, 0, 0, 0) }
}
