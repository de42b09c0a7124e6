/**
 * The .NET types and members API Management allows in policy expressions, from Microsoft Learn's
 * "API Management policy expressions" reference, table ".NET Framework types allowed in policy
 * expressions" (https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#CLRTypes).
 * `"All"` means every member; a list names the members (properties as their name, constructors as
 * `(Constructor)`). Generic types use the CLR name (`List\`1`). The X.509 and most System.Xml.Linq rows
 * are left out: the platform does not use them, and a shorter list only fails in the safe direction.
 */
const all = "All" as const;
const learnAllowed: Readonly<Record<string, typeof all | readonly string[]>> = {
    "Newtonsoft.Json.Formatting": all,
    "Newtonsoft.Json.JsonConvert": ["SerializeObject", "DeserializeObject"],
    "Newtonsoft.Json.Linq.Extensions": all,
    "Newtonsoft.Json.Linq.JArray": all,
    "Newtonsoft.Json.Linq.JConstructor": all,
    "Newtonsoft.Json.Linq.JContainer": all,
    "Newtonsoft.Json.Linq.JObject": all,
    "Newtonsoft.Json.Linq.JProperty": all,
    "Newtonsoft.Json.Linq.JRaw": all,
    "Newtonsoft.Json.Linq.JToken": all,
    "Newtonsoft.Json.Linq.JTokenType": all,
    "Newtonsoft.Json.Linq.JValue": all,
    "System.Array": all,
    "System.BitConverter": all,
    "System.Boolean": all,
    "System.Byte": all,
    "System.Char": all,
    "System.Collections.Generic.Dictionary`2": all,
    "System.Collections.Generic.HashSet`1": all,
    "System.Collections.Generic.ICollection`1": all,
    "System.Collections.Generic.IDictionary`2": all,
    "System.Collections.Generic.IEnumerable`1": all,
    "System.Collections.Generic.IEnumerator`1": all,
    "System.Collections.Generic.IList`1": all,
    "System.Collections.Generic.IReadOnlyCollection`1": all,
    "System.Collections.Generic.IReadOnlyDictionary`2": all,
    "System.Collections.Generic.ISet`1": all,
    "System.Collections.Generic.KeyValuePair`2": all,
    "System.Collections.Generic.List`1": all,
    "System.Collections.Generic.Queue`1": all,
    "System.Collections.Generic.Stack`1": all,
    "System.Convert": all,
    "System.DateTime": [
        "(Constructor)", "Add", "AddDays", "AddHours", "AddMilliseconds", "AddMinutes", "AddMonths", "AddSeconds", "AddTicks", "AddYears",
        "Date", "Day", "DayOfWeek", "DayOfYear", "DaysInMonth", "Hour", "IsDaylightSavingTime", "IsLeapYear", "MaxValue", "Millisecond",
        "Minute", "MinValue", "Month", "Now", "Parse", "Second", "Subtract", "Ticks", "TimeOfDay", "Today", "ToString", "UtcNow", "Year",
    ],
    "System.DateTimeKind": ["Utc"],
    "System.DateTimeOffset": all,
    "System.Decimal": all,
    "System.Double": all,
    "System.Exception": all,
    "System.Guid": all,
    "System.Int16": all,
    "System.Int32": all,
    "System.Int64": all,
    "System.IO.StringReader": all,
    "System.IO.StringWriter": all,
    "System.Linq.Enumerable": all,
    "System.Math": all,
    "System.MidpointRounding": all,
    "System.Net.IPAddress": all,
    "System.Net.WebUtility": all,
    "System.Nullable": all,
    "System.Nullable`1": all,
    "System.Random": all,
    "System.SByte": all,
    "System.Security.Cryptography.AsymmetricAlgorithm": all,
    "System.Security.Cryptography.CipherMode": all,
    "System.Security.Cryptography.HashAlgorithm": all,
    "System.Security.Cryptography.HashAlgorithmName": all,
    "System.Security.Cryptography.HMAC": all,
    "System.Security.Cryptography.HMACMD5": all,
    "System.Security.Cryptography.HMACSHA1": all,
    "System.Security.Cryptography.HMACSHA256": all,
    "System.Security.Cryptography.HMACSHA384": all,
    "System.Security.Cryptography.HMACSHA512": all,
    "System.Security.Cryptography.KeyedHashAlgorithm": all,
    "System.Security.Cryptography.MD5": all,
    "System.Security.Cryptography.Oid": all,
    "System.Security.Cryptography.PaddingMode": all,
    "System.Security.Cryptography.RNGCryptoServiceProvider": all,
    "System.Security.Cryptography.RSA": all,
    "System.Security.Cryptography.RSAEncryptionPadding": all,
    "System.Security.Cryptography.RSASignaturePadding": all,
    "System.Security.Cryptography.SHA1": all,
    "System.Security.Cryptography.SHA1Managed": all,
    "System.Security.Cryptography.SHA256": all,
    "System.Security.Cryptography.SHA256Managed": all,
    "System.Security.Cryptography.SHA384": all,
    "System.Security.Cryptography.SHA384Managed": all,
    "System.Security.Cryptography.SHA512": all,
    "System.Security.Cryptography.SHA512Managed": all,
    "System.Security.Cryptography.SymmetricAlgorithm": all,
    "System.Single": all,
    "System.String": all,
    "System.StringComparer": all,
    "System.StringComparison": all,
    "System.StringSplitOptions": all,
    "System.Text.Encoding": all,
    "System.Text.RegularExpressions.Capture": ["Index", "Length", "Value"],
    "System.Text.RegularExpressions.CaptureCollection": ["Count", "Item"],
    "System.Text.RegularExpressions.Group": ["Captures", "Success"],
    "System.Text.RegularExpressions.GroupCollection": ["Count", "Item"],
    "System.Text.RegularExpressions.Match": ["Empty", "Groups", "Result"],
    "System.Text.RegularExpressions.Regex": ["(Constructor)", "IsMatch", "Match", "Matches", "Replace", "Unescape", "Split"],
    "System.Text.RegularExpressions.RegexOptions": all,
    "System.Text.StringBuilder": all,
    "System.TimeSpan": all,
    "System.TimeZone": all,
    "System.TimeZoneInfo": all,
    "System.Tuple": all,
    "System.UInt16": all,
    "System.UInt32": all,
    "System.UInt64": all,
    "System.Uri": all,
    "System.UriPartial": all,
    "System.Xml.Linq.XDocument": all,
    "System.Xml.Linq.XElement": all,
    "System.Xml.Linq.XNode": all,
    "System.Xml.XmlNodeType": all,
};

/**
 * The `context` model's public types (../harness/Model.cs): Learn's context reference, so every
 * member they have is allowed (the model has no other members).
 */
const contextModel = ["IMessageBody", "IUrl", "IRequest", "IResponse", "ILastError", "IOperation", "IApi", "IDeployment", "IContext", "Jwt", "ContextExtensions"].map((t) => `Apim.${t}`);

/**
 * What the C# compiler itself emits for the language features Learn's examples use (lambdas, string
 * concatenation, array initialisers, `object` returns): delegate construction and invocation,
 * `object`'s virtual members, and array initialisation. `IDisposable.Dispose` is deliberately absent:
 * the `using` statement calls it and it is not on Learn's list.
 */
const compilerPlumbing: Readonly<Record<string, readonly string[]>> = {
    "System.Object": ["(type)", ".ctor", "ToString", "Equals", "GetHashCode"],
    "System.Runtime.CompilerServices.RuntimeHelpers": ["(type)", "InitializeArray"],
    "System.Runtime.CompilerServices.CompilerGeneratedAttribute": ["(type)", ".ctor"],
    // The element type of JToken.ToString(Formatting, params JsonConverter[]): an empty array, no member used.
    "Newtonsoft.Json.JsonConverter": ["(type)"],
};

/** `null` when allowed, else why not. */
export function checkMember(type: string, member: string): string | null {
    const outer = type.split("+")[0];
    if (contextModel.includes(outer)) return null;
    if (outer === "Expressions" || outer.startsWith("Expressions+") || outer.startsWith("<")) return null;
    if (/^System\.(Func|Action)`\d+$/.test(outer) || outer === "System.Action" || outer === "System.Func") {
        return member === "(type)" || member === ".ctor" || member === "Invoke" ? null : `${outer}.${member} is not delegate plumbing`;
    }
    const plumbing = compilerPlumbing[outer];
    if (plumbing) return plumbing.includes(member) ? null : `${outer}.${member} is not on Learn's list`;
    const allowed = learnAllowed[outer];
    if (!allowed) return `${outer} is not on Learn's list of allowed types`;
    if (allowed === all || member === "(type)") return null;
    const names = new Set(allowed.map((m) => (m === "(Constructor)" ? ".ctor" : m)));
    const bare = member.replace(/^(get_|set_)/, "");
    return names.has(member) || names.has(bare) ? null : `${outer}.${member} is not among the members Learn allows (${allowed.join(", ")})`;
}
