// The Redis client and stores live here (see Package.swift).
import CHiredis
