using System.Buffers;
using System.Globalization;
using System.Text;

namespace TTMall.ServiceDefaults.Validation;

/// <summary>
/// The one rule for text a client sends, in a JSON body or a query string, in every service: trimmed, in Unicode
/// normal form C, within its length, and made of visible characters only. Control characters are refused (a line break
/// and a tab only where the text may span lines, as a review does), and so is a lone surrogate: Postgres refuses NUL in
/// text and cannot store half a UTF-16 pair, so either would otherwise end as a 500, and neither belongs in a name, an
/// address or a search. Format characters (category Cf: zero-width spaces and joiners, bidirectional overrides and
/// isolates; only a joiner between two emoji is kept) and unassigned code points are refused too: they show as nothing, or reorder what is around them, so two
/// texts that look the same would differ and a name could make the text after it read backwards. NFC makes the one
/// look of an accented letter one string, however the client's keyboard composed it.
/// </summary>
public static class TextFields
{
    /// <summary>Trimmed text within the length bounds, made of characters only; "" when absent.</summary>
    /// <param name="multiLine">Whether line breaks and tabs are allowed inside the text.</param>
    public static string Text(this FieldErrors errors, string field, string? value, int maxLength, bool required = true, bool multiLine = false)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(field, $"{field} is required.");
            }
        }
        else if (text.Length > maxLength)
        {
            errors.Add(field, $"{field} must be at most {maxLength} characters.");
        }
        else if (errors.Characters(field, text, multiLine))
        {
            // Only now: normalising a lone surrogate throws. Composing can lengthen a few rare sequences, hence the second look.
            text = text.Normalize(NormalizationForm.FormC);
            if (text.Length > maxLength)
            {
                errors.Add(field, $"{field} must be at most {maxLength} characters.");
            }
        }

        return text;
    }

    /// <summary>
    /// The character half of <see cref="Text"/>, for text used exactly as sent (a password), which trimming would change.
    /// </summary>
    /// <returns>Whether <paramref name="text"/> passed.</returns>
    public static bool Characters(this FieldErrors errors, string field, string text, bool multiLine = false)
    {
        switch (Flaw(text, multiLine))
        {
            case TextFlaw.ControlCharacter:
                errors.Add(field, multiLine
                    ? $"{field} must not contain control characters other than line breaks and tabs."
                    : $"{field} must not contain control characters.");
                return false;
            case TextFlaw.LoneSurrogate:
                errors.Add(field, $"{field} must be valid Unicode text (it holds half of a UTF-16 surrogate pair).");
                return false;
            case TextFlaw.Invisible:
                errors.Add(field, $"{field} must not contain invisible or formatting characters (such as zero-width spaces or direction overrides).");
                return false;
            case TextFlaw.Unassigned:
                errors.Add(field, $"{field} must not contain code points that Unicode has not assigned.");
                return false;
            default:
                return true;
        }
    }

    private static readonly SearchValues<char> LineBreaksAndTabs = SearchValues.Create("\n\r\t");

    // U+200D joins emoji into one picture (a family, a profession with a skin tone); between two pictographs it hides
    // nothing and reorders nothing, so there it is kept. Anywhere else it is as invisible as any format character.
    private static readonly Rune ZeroWidthJoiner = new(0x200D);

    private static bool JoinsTwoPictographs(Rune previous, ReadOnlySpan<char> rest) =>
        Rune.GetUnicodeCategory(previous) is UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.NonSpacingMark
        && Rune.DecodeFromUtf16(rest, out var next, out _) == OperationStatus.Done
        && Rune.GetUnicodeCategory(next) == UnicodeCategory.OtherSymbol;

    private static TextFlaw Flaw(ReadOnlySpan<char> text, bool multiLine)
    {
        var previous = new Rune(' ');
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var consumed) != OperationStatus.Done)
            {
                return TextFlaw.LoneSurrogate;
            }

            if (rune == ZeroWidthJoiner && JoinsTwoPictographs(previous, text[consumed..]))
            {
                previous = rune;
                text = text[consumed..];
                continue;
            }

            if (Rune.IsControl(rune) && !(multiLine && LineBreaksAndTabs.Contains(text[0])))
            {
                return TextFlaw.ControlCharacter;
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Format:
                    return TextFlaw.Invisible;
                case UnicodeCategory.OtherNotAssigned:
                    return TextFlaw.Unassigned;
            }

            previous = rune;
            text = text[consumed..];
        }

        return TextFlaw.None;
    }

    private enum TextFlaw
    {
        None,
        ControlCharacter,
        LoneSurrogate,
        Invisible,
        Unassigned,
    }
}
