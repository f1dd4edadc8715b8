import CPangoCairo
import Foundation

/// A4 PDFs from `PDFContent` with pango (line breaking, Kazakh and Russian shaping) and cairo
/// (the PDF itself, fonts embedded and subset). Synchronous and thread-safe: pango's default
/// font map is per thread, and every call has its own surface.
public enum PDFRenderer {
    public static func render(_ content: PDFContent) throws -> [UInt8] {
        if let missing = FontCheck.problem { throw missing }
        let sink = PDFSink()
        return try withExtendedLifetime(sink) {
            guard let surface = cairo_pdf_surface_create_for_stream(writeToSink, Unmanaged.passUnretained(sink).toOpaque(), PDFPage.width, PDFPage.height)
            else { throw PDFRenderError.cairo("no surface") }
            defer { cairo_surface_destroy(surface) }
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, content.title)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "clinic-bot")
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, PDFDate.iso8601(content.created))
            guard let cr = cairo_create(surface) else { throw PDFRenderError.cairo("no context") }
            let writer = PDFPageWriter(cr, content)
            writer.write()
            writer.close()
            cairo_destroy(cr)
            // Finishing writes the fonts and the trailer; its status is the file's.
            cairo_surface_finish(surface)
            let status = cairo_surface_status(surface)
            guard status == CAIRO_STATUS_SUCCESS else {
                throw PDFRenderError.cairo(String(cString: cairo_status_to_string(status)))
            }
            return sink.bytes
        }
    }
}

/// Where cairo's stream goes: memory, not a file (the document is sealed before it is stored).
private final class PDFSink {
    var bytes: [UInt8] = []
    init() { bytes.reserveCapacity(32 * 1024) }
}

private let writeToSink: cairo_write_func_t = { closure, data, length in
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<PDFSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}

enum PDFDate {
    /// cairo's metadata date: "YYYY-MM-DDThh:mm:ssZ".
    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .omitted))
    }
}

/// The font the documents need is the one fontconfig gives for it; a fallback would print
/// boxes for Kazakh letters, so rendering refuses instead (checked once per process).
enum FontCheck {
    static let problem: PDFRenderError? = {
        guard let map = pango_cairo_font_map_get_default(), let context = pango_font_map_create_context(map)
        else { return .fontMissing(PDFFonts.family) }
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        let description = pango_font_description_from_string(PDFFonts.body)
        defer { pango_font_description_free(description) }
        guard let font = pango_font_map_load_font(map, context, description) else { return .fontMissing(PDFFonts.family) }
        defer { g_object_unref(UnsafeMutableRawPointer(font)) }
        let described = pango_font_describe(font)
        defer { pango_font_description_free(described) }
        guard let family = pango_font_description_get_family(described), String(cString: family) == PDFFonts.family
        else { return .fontMissing(PDFFonts.family) }
        return nil
    }()
}
