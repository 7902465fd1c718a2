namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// The separators and escape character a message declares in MSH-1 and MSH-2 (or FHS/BHS-1 and -2).
/// They are read from each message, never assumed: <c>|^~\&amp;</c> is only the usual choice.
/// </summary>
/// <param name="Truncation">The v2.7+ truncation character (fifth MSH-2 character), if declared.</param>
public readonly record struct Hl7v2Delimiters(
    char Field, char Component, char Repetition, char Escape, char Subcomponent, char? Truncation = null)
{
    /// <summary>The usual <c>|^~\&amp;</c>.</summary>
    public static Hl7v2Delimiters Default { get; } = new('|', '^', '~', '\\', '&');

    internal byte FieldByte => (byte)Field;
    internal byte ComponentByte => (byte)Component;
    internal byte RepetitionByte => (byte)Repetition;
    internal byte EscapeByte => (byte)Escape;
    internal byte SubcomponentByte => (byte)Subcomponent;
}
