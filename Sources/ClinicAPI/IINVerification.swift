import FlowEngine

/// `POST patient/verify-iin/`: whether an IIN is well formed and agrees with a birth date and
/// sex given earlier. Pure: it does not say whether the IIN is registered, which would make the
/// endpoint an oracle of who is the clinic's patient.
struct IINVerificationBody: Decodable {
    let iin: String
    let birthDate: ISODate?
    let sex: SexField?

    enum CodingKeys: String, CodingKey {
        case iin
        case birthDate = "birth_date"
        case sex
    }
}

/// "M" or "F".
struct SexField: Decodable {
    let sex: Sex

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self), let sex = Sex(rawValue: text) else {
            throw container.refuse("must be M or F")
        }
        self.sex = sex
    }
}

/// The original system's answer: `{valid, birth_date, sex, error}`. `birth_date` and `sex` are
/// the ones the IIN encodes (null when it cannot be read); `error` is null when valid, else one
/// of the `errors.iin.*` problem names the dialogues use (`checksum`, `birth_date_mismatch`…).
struct IINVerification: Encodable, Equatable {
    let valid: Bool
    let birthDate: CalendarDate?
    let sex: Sex?
    let error: String?

    enum CodingKeys: String, CodingKey {
        case valid
        case birthDate = "birth_date"
        case sex, error
    }

    init(_ body: IINVerificationBody) {
        do throws(IINProblem) {
            let iin = try IIN(body.iin)
            let mismatch = iin.mismatch(birthDate: body.birthDate?.date, sex: body.sex?.sex)
            self.init(valid: mismatch == nil, birthDate: iin.birthDate, sex: iin.sex, error: mismatch?.rawValue)
        } catch {
            self.init(valid: false, birthDate: nil, sex: nil, error: error.rawValue)
        }
    }

    init(valid: Bool, birthDate: CalendarDate?, sex: Sex?, error: String?) {
        self.valid = valid
        self.birthDate = birthDate
        self.sex = sex
        self.error = error
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(valid, forKey: .valid)
        try c.encode(birthDate, forKey: .birthDate)
        try c.encode(sex, forKey: .sex)
        try c.encode(error, forKey: .error)
    }
}
