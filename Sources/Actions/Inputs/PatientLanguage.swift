/// The languages the bot speaks with a patient.
public enum PatientLanguage: String, Sendable, Hashable, CaseIterable {
    case russian = "ru"
    case kazakh = "kk"

    public init(parsing text: String) throws {
        guard let language = PatientLanguage(rawValue: text) else {
            throw InvalidInput(field: "language", reason: "must be ru or kk")
        }
        self = language
    }
}
