/// A multipart/form-data body (RFC 7578), built by hand because the Bot API takes uploads
/// only that way and AsyncHTTPClient has no form encoder.
struct MultipartForm: Sendable {
    enum Part: Sendable {
        case field(name: String, value: String)
        case file(name: String, fileName: String, contentType: String, bytes: [UInt8])
    }

    var parts: [Part]

    /// The body and its Content-Type. The boundary is random and checked against the payload:
    /// a boundary that happens to occur in a file would cut the file short.
    func encoded() -> (body: [UInt8], contentType: String) {
        var boundary = Self.randomBoundary()
        while contains(boundary) { boundary = Self.randomBoundary() }
        var body: [UInt8] = []
        body.reserveCapacity(parts.reduce(256) { $0 + $1.size + 256 })
        for part in parts {
            body += Array("--\(boundary)\r\n".utf8)
            switch part {
            case .field(let name, let value):
                body += Array("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n".utf8)
                body += Array(value.utf8)
            case .file(let name, let fileName, let contentType, let bytes):
                body += Array("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(fileName))\"\r\n".utf8)
                body += Array("Content-Type: \(Self.headerValue(contentType))\r\n\r\n".utf8)
                body += bytes
            }
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    private func contains(_ boundary: String) -> Bool {
        let needle = Array(boundary.utf8)
        return parts.contains { part in
            switch part {
            case .field(_, let value): return value.contains(boundary)
            case .file(_, _, _, let bytes): return Self.bytes(bytes, contain: needle)
            }
        }
    }

    private static func bytes(_ haystack: [UInt8], contain needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }

    private static func randomBoundary() -> String {
        let digits = Array("0123456789abcdef")
        return "clinic-bot-" + String((0..<32).map { _ in digits.randomElement()! })
    }

    /// A quoted-string parameter: quotes and line breaks would end the header early, so they
    /// are percent-encoded as browsers do; other UTF-8 (Cyrillic file names) goes as it is.
    private static func quoted(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "%22"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func headerValue(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
    }
}

extension MultipartForm.Part {
    var size: Int {
        switch self {
        case .field(_, let value): return value.utf8.count
        case .file(_, _, _, let bytes): return bytes.count
        }
    }
}

extension MultipartForm {
    /// sendDocument: `chat_id`, the optional `caption`, and the file as `document`.
    /// The caption goes without `parse_mode` (SendDocument has none): it shows as plain text.
    init(_ call: SendDocument) {
        var parts: [Part] = [.field(name: "chat_id", value: String(call.chatId))]
        if let caption = call.caption { parts.append(.field(name: "caption", value: caption)) }
        parts.append(.file(name: "document", fileName: call.fileName, contentType: call.mimeType, bytes: call.bytes))
        self.init(parts: parts)
    }
}
