namespace PrecisionMed.Core.Tests;

/// <summary>Bundles no corpus file has: built here so their shape is plain to see.</summary>
internal static class SyntheticBundles
{
    /// <summary>
    /// Two DiagnosticReports sharing a Patient (urn:uuid), mixing reference styles. Entries:
    /// 0 Patient, 1 report A, 2-3 its results, 4 report B, 5 its result, 6 a member of 5,
    /// 7 a Specimen of report A, 8 a Task about report B, 9 an Organization nothing references.
    /// </summary>
    public const string TwoReportsSharingAPatient = """
        {
          "resourceType": "Bundle",
          "type": "collection",
          "entry": [
            { "fullUrl": "urn:uuid:6f1d2a36-2f4f-4b7e-8a57-5f0b8f2c0001",
              "resource": { "resourceType": "Patient", "identifier": [{ "system": "urn:oid:1.2.3.4", "value": "MRN-1" }] } },
            { "fullUrl": "http://lab.example/fhir/DiagnosticReport/rep-a",
              "resource": { "resourceType": "DiagnosticReport", "id": "rep-a", "status": "final",
                "identifier": [{ "system": "urn:lab:accession", "value": "ACC-A" }],
                "code": { "text": "panel A" },
                "subject": { "reference": "urn:uuid:6f1d2a36-2f4f-4b7e-8a57-5f0b8f2c0001" },
                "specimen": [{ "reference": "Specimen/spec-1" }],
                "result": [{ "reference": "Observation/obs-a" }, { "reference": "http://lab.example/fhir/Observation/obs-b" }] } },
            { "fullUrl": "http://lab.example/fhir/Observation/obs-a",
              "resource": { "resourceType": "Observation", "id": "obs-a", "status": "final", "code": { "text": "a" },
                "subject": { "reference": "urn:uuid:6f1d2a36-2f4f-4b7e-8a57-5f0b8f2c0001" },
                "specimen": { "reference": "Specimen/spec-1" } } },
            { "fullUrl": "http://lab.example/fhir/Observation/obs-b",
              "resource": { "resourceType": "Observation", "id": "obs-b", "status": "final", "code": { "text": "b" },
                "subject": { "reference": "urn:uuid:6f1d2a36-2f4f-4b7e-8a57-5f0b8f2c0001" } } },
            { "fullUrl": "http://lab.example/fhir/DiagnosticReport/rep-b",
              "resource": { "resourceType": "DiagnosticReport", "id": "rep-b", "status": "final",
                "identifier": [{ "system": "urn:lab:accession", "value": "ACC-B" }],
                "code": { "text": "panel B" },
                "subject": { "reference": "urn:uuid:6f1d2a36-2f4f-4b7e-8a57-5f0b8f2c0001" },
                "result": [{ "reference": "Observation/obs-c/_history/2" }] } },
            { "fullUrl": "http://lab.example/fhir/Observation/obs-c",
              "resource": { "resourceType": "Observation", "id": "obs-c", "status": "final", "code": { "text": "c" },
                "subject": { "reference": "urn:uuid:6f1d2a36-2f4f-4b7e-8a57-5f0b8f2c0001" },
                "hasMember": [{ "reference": "Observation/obs-d" }] } },
            { "fullUrl": "http://lab.example/fhir/Observation/obs-d",
              "resource": { "resourceType": "Observation", "id": "obs-d", "status": "final", "code": { "text": "d" } } },
            { "fullUrl": "http://lab.example/fhir/Specimen/spec-1",
              "resource": { "resourceType": "Specimen", "id": "spec-1",
                "subject": { "reference": "urn:uuid:6f1d2a36-2f4f-4b7e-8a57-5f0b8f2c0001" } } },
            { "fullUrl": "http://lab.example/fhir/Task/task-1",
              "resource": { "resourceType": "Task", "id": "task-1", "status": "requested", "intent": "proposal",
                "focus": { "reference": "DiagnosticReport/rep-b" } } },
            { "fullUrl": "http://lab.example/fhir/Organization/org-1",
              "resource": { "resourceType": "Organization", "id": "org-1", "name": "Example Lab" } }
          ]
        }
        """;
}
