namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Where one segment lies in its message's bytes. Its fields are the separator-delimited pieces
/// whose end offsets sit at <see cref="FirstPiece"/>.. in the message's piece table (piece 0 is the id).
/// </summary>
internal readonly record struct Hl7v2SegmentEntry(int Start, int End, int Line, int IdKey, int FirstPiece, int PieceCount);
