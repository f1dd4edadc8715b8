import Foundation

/// A Kazakhstan phone number, kept as E.164 "+7XXXXXXXXXX".
///
/// Kazakhstan shares country code 7 with Russia; its numbers are the ones whose national part
/// starts with 7 (mobiles 70x, 747, 77x and city codes 7xx). Russian numbers (+7 9xx, 3xx, 4xx,
/// 8xx) are refused as `notKazakhstan` because the clinic cannot send SMS to them.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// "+77011234567".
    public let e164: String

    /// Parses what a person types: "+7 701 123 45 67", "8 (701) 123-45-67", "77011234567",
    /// "7011234567", with spaces, dashes, parentheses and dots anywhere.
    public init(_ text: String) throws(PhoneNumberProblem) {
        var digits: [Int] = []
        digits.reserveCapacity(11)
        var count = 0
        var plus = false
        for scalar in text.unicodeScalars {
            if let digit = InputText.digit(scalar) {
                count += 1
                if count <= 15 { digits.append(digit) }  // E.164 has at most 15 digits
            } else if scalar == "+" {
                // Only as the first thing typed: "+7 …".
                guard count == 0, !plus else { throw .format }
                plus = true
            } else if !(InputText.isSpace(scalar) || "-().".unicodeScalars.contains(scalar)) {
                throw .format
            }
        }

        let national: ArraySlice<Int>
        if plus {
            if count == 11 && digits[0] == 7 {
                national = digits[1...]
            } else if digits.first != 7 && (8...15).contains(count) {
                throw .notKazakhstan  // another country's number: "+380 …", "+996 …"
            } else {
                throw .format
            }
        } else if count == 11 && (digits[0] == 8 || digits[0] == 7) {
            national = digits[1...]  // "8 701 …" is the domestic trunk prefix, "7 701 …" a missing "+"
        } else if count == 10 {
            national = digits[...]
        } else {
            throw .format
        }

        switch national.first {
        case 7: break
        case 0, 1: throw .format  // no numbers in zone 7 start with these
        default: throw .notKazakhstan
        }
        e164 = "+7" + national.map(String.init).joined()
    }

    /// "+7 701 123 45 67", for showing the number back to the person.
    public var formatted: String { group(middle: Array(e164.dropFirst(5).prefix(5))) }

    /// "+7 701 ••• •• 67", for logs and for confirming which number a message went to.
    public var masked: String { group(middle: Array("•••••")) }

    /// Masked, so that interpolating a number into a log line does not leak it.
    public var description: String { masked }

    /// Lays out "+7 AAA XXX XX NN" with the five middle characters given.
    private func group(middle: [Character]) -> String {
        let scalars = Array(e164)
        return "+7 " + String(scalars[2...4]) + " " + String(middle[0...2]) + " " + String(middle[3...4])
            + " " + String(scalars[10...11])
    }
}

/// Why a typed phone number was refused; locale keys `errors.phone.*`.
public enum PhoneNumberProblem: String, TypedInputProblem {
    /// Letters or other symbols, or too few or too many digits.
    case format
    /// A well-formed number of another country, Russia included.
    case notKazakhstan = "not_kazakhstan"

    public static var domain: String { "phone" }
}

extension PhoneNumber: ParsedText {
    public var canonicalText: String { e164 }
}
