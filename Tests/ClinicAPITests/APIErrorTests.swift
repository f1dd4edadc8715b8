import ClinicAPI
import Foundation
import Testing

@Suite("API errors")
struct APIErrorTests {
    @Test("an error is the JSON object {error: {code, message}}")
    func shape() throws {
        let error = APIError(status: 409, code: "slot_taken", message: "This time has just been booked by someone else")
        let object = try JSONSerialization.jsonObject(with: error.json) as? [String: [String: String]]
        #expect(object == ["error": ["code": "slot_taken", "message": "This time has just been booked by someone else"]])
    }
}
