import Foundation

/// poppler-utils reading what we wrote: an independent PDF reader, not our own code.
enum Poppler {
    /// The text `pdftotext` finds, pages apart by form feeds.
    static func text(_ pdf: [UInt8]) throws -> String {
        try run("/usr/bin/pdftotext", pdf, ["-layout", "-enc", "UTF-8"], output: "-")
    }

    /// `pdfinfo`'s "Key: value" lines.
    static func info(_ pdf: [UInt8]) throws -> [String: String] {
        let lines = try run("/usr/bin/pdfinfo", pdf, ["-enc", "UTF-8"], output: nil).split(separator: "\n")
        var info: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            info[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return info
    }

    private static func run(_ tool: String, _ pdf: [UInt8], _ arguments: [String], output: String?) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pdf-test-\(UUID().uuidString).pdf")
        try Data(pdf).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments + [file.path] + (output.map { [$0] } ?? [])
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PopplerFailed(tool: tool, status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self)
    }
}

struct PopplerFailed: Error {
    let tool: String
    let status: Int32
}

extension String {
    /// pdftotext keeps the layout's spacing: compare words, not runs of spaces.
    var words: String { split(whereSeparator: \.isWhitespace).joined(separator: " ") }
}
