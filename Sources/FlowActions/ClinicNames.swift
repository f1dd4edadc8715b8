import ClinicContract

// FlowEngine has a `Branch` of its own (an `if` step's branch): here it is the clinic's.
typealias Branch = ClinicContract.Branch
