import Foundation
import Testing
@testable import FlowEngine

/// The problem `body` throws, if it is a `P`; nil when it succeeds.
func thrownProblem<P: Error>(_ type: P.Type, _ body: () throws -> Void) -> P? {
    do {
        try body()
        return nil
    } catch {
        return error as? P
    }
}

/// A date known to be real, for test tables.
func ymd(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
    try! CalendarDate(year: year, month: month, day: day)
}

/// Texts no parser may crash on: emoji, controls, long input, combining marks, RTL, empty.
let hostileInputs: [String] = [
    "",
    " ",
    "😀",
    "👨‍👩‍👧‍👦🇰🇿",
    "\u{0}\u{1}\u{7}\u{1B}[31m\u{7F}",
    "\r\n\t",
    String(repeating: "а", count: 10_000),
    String(repeating: "9", count: 10_000),
    String(repeating: "{", count: 10_000),
    String(repeating: "e\u{301}", count: 5_000),
    "a\u{300}\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}",
    "\u{301}",
    "שלום עולם",
    "مرحبا",
    "\u{202E}7654321\u{202C}",
    "\u{FEFF}\u{200B}\u{200D}",
    "\u{10FFFF}\u{E000}",
    "０５.０３.１９９０",  // full-width digits
    "٠٥.٠٣.١٩٩٠",  // Arabic-Indic digits
]

/// Builds an IIN the way the issuing authority does, independently of `IIN.checkDigit`:
/// YYMMDD, the century-and-sex digit, a four-digit serial and the check digit.
/// Nil when the first eleven digits have no check digit.
func makeIIN(_ date: CalendarDate, _ sex: Sex, serial: Int) -> String? {
    let centuryIndex = (date.year - 1800) / 100  // 0: 1800s, 1: 1900s, 2: 2000s
    let centuryDigit = 1 + 2 * centuryIndex + (sex == .female ? 1 : 0)
    let text = pad2(date.year % 100) + pad2(date.month) + pad2(date.day) + String(centuryDigit)
        + String(String(serial + 10_000).dropFirst())
    let digits = text.map { Int(String($0))! }
    var sum = 0
    for (index, digit) in digits.enumerated() { sum += digit * (index + 1) }
    var check = sum % 11
    if check == 10 {
        let weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        sum = 0
        for (digit, weight) in zip(digits, weights) { sum += digit * weight }
        check = sum % 11
        if check == 10 { return nil }
    }
    return text + String(check)
}

private func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// The clinic's zone: UTC+5 since 1 March 2024.
let almatyZone = TimeZone(identifier: "Asia/Almaty")!
