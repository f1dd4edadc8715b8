@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import Testing

@Suite("The .ics ticket (RFC 5545)")
struct ICalendarTests {
    let start = Date(timeIntervalSince1970: 1_795_752_000)  // 2026-11-27T04:00:00Z, 09:00 in Almaty

    func event(summary: String = "Кардиолог кеңесі — Жұмабаева Гүлнар") -> ICalendar.Event {
        ICalendar.Event(
            uid: "appointment-7@clinic-bot", stamp: start.addingTimeInterval(-86_400), start: start, end: start.addingTimeInterval(1800),
            summary: summary, location: "Орталық, Абай к-сі, 10; 2-қабат", description: "Жазылу нөмірі: A-7\nДәрігер: Жұмабаева",
            alarmBefore: .seconds(7200), alarmText: "Клиникада қабылдау")
    }

    @Test("lines end with CRLF and none is longer than 75 octets, even folded Kazakh text")
    func folding() {
        let file = ICalendar.file(for: event(summary: String(repeating: "Қазақстан денсаулық ", count: 10)))
        #expect(file.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!file.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let lines = file.components(separatedBy: "\r\n").dropLast()
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        // Unfolding gives the text back whole: no letter was cut in two.
        let unfolded = file.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + String(repeating: "Қазақстан денсаулық ", count: 10)))
    }

    @Test("times are UTC; text values escape commas, semicolons, backslashes and line breaks")
    func values() {
        let file = ICalendar.file(for: event()).replacingOccurrences(of: "\r\n ", with: "")
        #expect(file.contains("DTSTART:20261127T040000Z\r\n"))
        #expect(file.contains("DTEND:20261127T043000Z\r\n"))
        #expect(file.contains("LOCATION:Орталық\\, Абай к-сі\\, 10\\; 2-қабат\r\n"))
        #expect(file.contains("DESCRIPTION:Жазылу нөмірі: A-7\\nДәрігер: Жұмабаева\r\n"))
        #expect(file.contains("UID:appointment-7@clinic-bot\r\n"))
        #expect(file.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT120M\r\n"))
        #expect(ICalendar.text("a\\b") == "a\\\\b")
    }

    @Test("the ticket is a file value flows can send: a name, text/calendar and base64")
    func ticketValue() throws {
        let appointment = Appointment(
            id: 7, code: "A-7", patientID: 1, doctorID: 2, serviceID: 3, branchID: 1, start: start, end: start.addingTimeInterval(1800),
            status: .booked, source: "telegram", priceTenge: 12000,
            doctorName: LocalizedText(ru: "Жумабаева Гульнар", kk: "Жұмабаева Гүлнар"),
            serviceName: LocalizedText(ru: "Консультация кардиолога", kk: "Кардиолог кеңесі"),
            branchName: LocalizedText(ru: "Центральный", kk: "Орталық"),
            branchAddress: LocalizedText(ru: "ул. Абая, 10", kk: "Абай к-сі, 10"))
        let value = AppointmentTicket.file(for: appointment, language: .kk, now: start)
        #expect(value["name"].stringValue == "appointment-A-7.ics")
        #expect(value["mime_type"].stringValue == "text/calendar")
        let data = try #require(value["base64"].stringValue.flatMap { Data(base64Encoded: $0) })
        let text = try #require(String(data: data, encoding: .utf8)).replacingOccurrences(of: "\r\n ", with: "")
        #expect(text.contains("SUMMARY:Кардиолог кеңесі — Жұмабаева Гүлнар"))
        #expect(text.contains("DESCRIPTION:Жазылу нөмірі: A-7"))
    }
}
