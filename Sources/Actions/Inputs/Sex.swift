/// Sex as recorded in the patient card and encoded in the IIN's seventh digit.
public enum Sex: String, Sendable, Hashable, CaseIterable {
    case male = "M"
    case female = "F"

    public init(parsing text: String) throws {
        guard let sex = Sex(rawValue: text) else { throw InvalidInput(field: "sex", reason: "must be M or F") }
        self = sex
    }
}
