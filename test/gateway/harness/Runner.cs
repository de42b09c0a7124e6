// The bench's expression runner: implementations of the context model (Model.cs), a line protocol
// on stdin/stdout (one JSON request → one JSON answer) and an IL scan that lists every .NET member
// each compiled expression touches (checked against Learn's allowed list by the TypeScript side).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using System.Xml.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Apim
{
    /// The bench's clock: the bench compiles its expressions with `DateTime.UtcNow` read from here so
    /// a case can move time (session lifetimes, quotas). The member check compiles the unchanged text.
    public static class BenchClock
    {
        public static DateTime UtcNow = DateTime.UtcNow;
    }

    internal static class Harness
    {
        internal static Jwt JwtFromPayload(JObject payload, string alg, string typ)
        {
            var claims = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var p in payload.Properties())
            {
                claims[p.Name] = p.Value.Type == JTokenType.Array
                    ? p.Value.Select(v => v.Type == JTokenType.String ? (string)v : v.ToString(Formatting.None)).ToArray()
                    : new[] { p.Value.Type == JTokenType.String ? (string)p.Value : p.Value.ToString(Formatting.None) };
            }
            Func<string, DateTime?> time = name => payload[name] == null ? (DateTime?)null : new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds((double)payload[name]);
            var aud = payload["aud"];
            return new Jwt
            {
                Algorithm = alg,
                Type = typ,
                Audiences = aud == null ? new string[0] : aud.Type == JTokenType.Array ? aud.Select(a => (string)a).ToArray() : new[] { (string)aud },
                Claims = claims,
                ExpirationTime = time("exp"),
                IssuedAt = time("iat"),
                NotBefore = time("nbf"),
                Id = (string)payload["jti"],
                Issuer = (string)payload["iss"],
                Subject = (string)payload["sub"],
            };
        }
    }
}

namespace ApimHarness
{
    using Apim;

    sealed class Body : IMessageBody
    {
        readonly string text;
        public bool Consumed;
        public Body(string text) { this.text = text; }

        // Learn: "By default, the method uses the original message body stream and renders it
        // unavailable after it returns" — a later read sees an empty body.
        public T As<T>(bool preserveContent = false)
        {
            var content = Consumed ? "" : text;
            if (!preserveContent) Consumed = true;
            object value;
            var t = typeof(T);
            if (t == typeof(string)) value = content;
            else if (t == typeof(byte[])) value = Encoding.UTF8.GetBytes(content);
            else if (t == typeof(JObject)) value = JObject.Parse(content);
            else if (t == typeof(JArray)) value = JArray.Parse(content);
            else if (t == typeof(JToken)) value = JToken.Parse(content);
            else if (t == typeof(XDocument)) value = XDocument.Parse(content);
            else if (t == typeof(XElement) || t == typeof(XNode)) value = XElement.Parse(content);
            else throw new InvalidOperationException("IMessageBody.As<" + t.Name + "> is not supported (Learn: string, byte[], JObject, JToken, JArray, XNode, XElement, XDocument)");
            return (T)value;
        }
    }

    sealed class Url : IUrl
    {
        public string Host { get; set; }
        public string Path { get; set; }
        public int Port { get; set; }
        public IReadOnlyDictionary<string, string[]> Query { get; set; }
        public string QueryString { get; set; }
        public string Scheme { get; set; }
    }

    sealed class Request : IRequest
    {
        public Body RawBody;
        public IMessageBody Body { get { return RawBody; } }
        public IReadOnlyDictionary<string, string[]> Headers { get; set; }
        public string IpAddress { get; set; }
        public IReadOnlyDictionary<string, string> MatchedParameters { get; set; }
        public string Method { get; set; }
        public IUrl OriginalUrl { get; set; }
        public IUrl Url { get; set; }
    }

    sealed class Response : IResponse
    {
        public Body RawBody;
        public IMessageBody Body { get { return RawBody; } }
        public IReadOnlyDictionary<string, string[]> Headers { get; set; }
        public int StatusCode { get; set; }
        public string StatusReason { get; set; }
    }

    sealed class LastError : ILastError
    {
        public string Source { get; set; }
        public string Reason { get; set; }
        public string Message { get; set; }
        public string Scope { get; set; }
        public string Section { get; set; }
        public string Path { get; set; }
        public string PolicyId { get; set; }
    }

    sealed class Operation : IOperation
    {
        public string Id { get; set; }
        public string Method { get; set; }
        public string Name { get; set; }
        public string UrlTemplate { get; set; }
    }

    sealed class Api : IApi
    {
        public string Id { get; set; }
        public bool IsCurrentRevision { get; set; }
        public string Name { get; set; }
        public string Path { get; set; }
        public string Revision { get; set; }
        public IUrl ServiceUrl { get; set; }
        public string Version { get; set; }
    }

    sealed class Deployment : IDeployment
    {
        public string GatewayId { get; set; }
        public string Region { get; set; }
        public string ServiceName { get; set; }
    }

    sealed class Context : IContext
    {
        public IApi Api { get; set; }
        public IDeployment Deployment { get; set; }
        public TimeSpan Elapsed { get; set; }
        public ILastError LastError { get; set; }
        public IOperation Operation { get; set; }
        public IRequest Request { get; set; }
        public Guid RequestId { get; set; }
        public IResponse Response { get; set; }
        public DateTime Timestamp { get; set; }
        public bool Tracing { get; set; }
        public IReadOnlyDictionary<string, object> Variables { get; set; }
        public readonly List<string> Traces = new List<string>();
        public void Trace(string message) { Traces.Add(message); }
    }

    static class Program
    {
        static IReadOnlyDictionary<string, string[]> Headers(JToken j)
        {
            // Header names are case-insensitive (RFC 9110); API Management's dictionaries are too.
            var d = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            if (j is JObject)
                foreach (var p in ((JObject)j).Properties())
                    d[p.Name] = p.Value.Type == JTokenType.Array ? p.Value.Select(v => (string)v).ToArray() : new[] { (string)p.Value };
            return d;
        }

        static Url ParseUrl(JToken j)
        {
            var u = new Uri(j == null ? "https://gateway.invalid/" : (string)j);
            var q = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in u.Query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var i = pair.IndexOf('=');
                var k = Uri.UnescapeDataString(i < 0 ? pair : pair.Substring(0, i));
                var v = i < 0 ? "" : Uri.UnescapeDataString(pair.Substring(i + 1));
                string[] old;
                q[k] = q.TryGetValue(k, out old) ? old.Concat(new[] { v }).ToArray() : new[] { v };
            }
            return new Url { Host = u.Host, Path = u.AbsolutePath, Port = u.Port, Query = q, QueryString = u.Query, Scheme = u.Scheme };
        }

        static Response ParseResponse(JToken j)
        {
            if (j == null || j.Type == JTokenType.Null) return null;
            var body = j["body"];
            return new Response
            {
                StatusCode = (int)j["status"],
                StatusReason = (string)j["reason"] ?? "",
                Headers = Headers(j["headers"]),
                RawBody = body == null || body.Type == JTokenType.Null ? null : new Body((string)body),
            };
        }

        static object DecodeValue(JToken j)
        {
            var t = (string)j["t"];
            var v = j["v"];
            switch (t)
            {
                case "null": return null;
                case "string": return (string)v;
                case "bool": return (bool)v;
                case "int": return (int)v;
                case "long": return (long)v;
                case "double": return (double)v;
                case "jwt": return Harness.JwtFromPayload((JObject)v, "RS256", "JWT");
                case "response": return ParseResponse(v);
                default: throw new InvalidDataException("unknown variable type " + t);
            }
        }

        static JObject EncodeValue(object value)
        {
            var r = new JObject();
            if (value == null) r["t"] = "null";
            else if (value is string) { r["t"] = "string"; r["v"] = (string)value; }
            else if (value is bool) { r["t"] = "bool"; r["v"] = (bool)value; }
            else if (value is int) { r["t"] = "int"; r["v"] = (int)value; }
            else if (value is long) { r["t"] = "long"; r["v"] = (long)value; }
            else if (value is double) { r["t"] = "double"; r["v"] = (double)value; }
            else { r["t"] = value.GetType().FullName; r["v"] = value.ToString(); }
            return r;
        }

        static Context ParseContext(JObject j)
        {
            var req = j["request"] ?? new JObject();
            var url = ParseUrl(req["url"]);
            var body = req["body"];
            var vars = new Dictionary<string, object>(StringComparer.Ordinal);
            if (j["variables"] is JObject)
                foreach (var p in ((JObject)j["variables"]).Properties()) vars[p.Name] = DecodeValue(p.Value);
            var err = j["lastError"];
            var op = j["operation"] ?? new JObject();
            return new Context
            {
                Api = new Api { Id = "mcp", Name = "mcp", Path = url.Path, Revision = "1", IsCurrentRevision = true, ServiceUrl = url, Version = "" },
                Deployment = new Deployment { GatewayId = "managed", Region = "Sweden Central", ServiceName = "apim-bench" },
                Elapsed = TimeSpan.Zero,
                LastError = err == null || err.Type == JTokenType.Null ? null : new LastError
                {
                    Source = (string)err["source"], Reason = (string)err["reason"], Message = (string)err["message"],
                    Scope = (string)err["scope"], Section = (string)err["section"], Path = (string)err["path"], PolicyId = (string)err["policyId"],
                },
                Operation = new Operation { Id = (string)op["id"], Method = (string)op["method"], Name = (string)op["name"], UrlTemplate = (string)op["urlTemplate"] },
                Request = new Request
                {
                    Method = (string)req["method"] ?? "POST",
                    Headers = Headers(req["headers"]),
                    IpAddress = (string)req["ipAddress"] ?? "",
                    MatchedParameters = new Dictionary<string, string>(),
                    Url = url,
                    OriginalUrl = url,
                    // Learn: Body is "null if request does not have a body".
                    RawBody = body == null || body.Type == JTokenType.Null ? null : new Body((string)body),
                },
                RequestId = Guid.Empty,
                Response = ParseResponse(j["response"]),
                Timestamp = DateTime.UtcNow,
                Tracing = false,
                Variables = vars,
            };
        }

        static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "--members") return Members.Print();
            var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
            var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            string line;
            while ((line = stdin.ReadLine()) != null)
            {
                var answer = new JObject();
                try
                {
                    var q = JObject.Parse(line);
                    var id = (string)q["id"];
                    answer["seq"] = q["seq"];
                    Func<IContext, object> expression;
                    if (!Expressions.All.TryGetValue(id, out expression)) throw new KeyNotFoundException("no compiled expression " + id);
                    var ctx = ParseContext((JObject)q["ctx"]);
                    if (q["ctx"]["now"] != null) BenchClock.UtcNow = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds((double)q["ctx"]["now"]);
                    try
                    {
                        var value = expression(ctx);
                        answer["ok"] = true;
                        answer["value"] = EncodeValue(value);
                    }
                    catch (Exception e)
                    {
                        answer["ok"] = false;
                        answer["error"] = e.GetType().FullName + ": " + e.Message;
                    }
                    var reqBody = ((Request)ctx.Request).RawBody;
                    var resBody = ctx.Response == null ? null : ((Response)ctx.Response).RawBody;
                    answer["consumed"] = new JObject(new JProperty("request", reqBody != null && reqBody.Consumed), new JProperty("response", resBody != null && resBody.Consumed));
                    answer["traces"] = new JArray(ctx.Traces);
                }
                catch (Exception e)
                {
                    answer["ok"] = false;
                    answer["protocolError"] = e.ToString();
                }
                stdout.WriteLine(answer.ToString(Formatting.None));
            }
            return 0;
        }
    }

    /// Lists, per expression, every type and member its IL references (calls, fields, tokens, locals,
    /// generic arguments), including the lambdas and closures the compiler generated for it.
    static class Members
    {
        static readonly Dictionary<short, OpCode> opcodes = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null))
            .ToDictionary(o => o.Value);

        static readonly System.Text.RegularExpressions.Regex owner = new System.Text.RegularExpressions.Regex(@"\bE\d+\b|<E\d+>|E\d+");

        internal static int Print()
        {
            var asm = typeof(Expressions).Assembly;
            var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
            var types = asm.GetTypes().Where(t => t == typeof(Expressions) || (t.DeclaringType != null && IsUnder(t, typeof(Expressions))));
            foreach (var type in types)
            {
                foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                             .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)))
                {
                    var match = owner.Match(m.Name + " " + type.Name);
                    if (!match.Success) continue;
                    var id = match.Value.Trim('<', '>');
                    foreach (var r in References(m)) output.WriteLine(new JObject(new JProperty("id", id), new JProperty("type", r.Item1), new JProperty("member", r.Item2)).ToString(Formatting.None));
                }
            }
            output.Flush();
            return 0;
        }

        static bool IsUnder(Type t, Type root)
        {
            for (var d = t.DeclaringType; d != null; d = d.DeclaringType) if (d == root) return true;
            return false;
        }

        static IEnumerable<Tuple<string, string>> TypeRefs(Type t)
        {
            if (t == null) yield break;
            if (t.IsArray || t.IsByRef || t.IsPointer) { foreach (var r in TypeRefs(t.GetElementType())) yield return r; yield break; }
            if (t.IsGenericParameter) yield break;
            if (t.IsGenericType) foreach (var a in t.GetGenericArguments()) foreach (var r in TypeRefs(a)) yield return r;
            yield return Tuple.Create(Name(t), "(type)");
        }

        static string Name(Type t)
        {
            if (t.IsGenericType) t = t.GetGenericTypeDefinition();
            return t.FullName ?? t.Name;
        }

        static IEnumerable<Tuple<string, string>> References(MethodBase method)
        {
            var body = method.GetMethodBody();
            if (body == null) yield break;
            foreach (var local in body.LocalVariables) foreach (var r in TypeRefs(local.LocalType)) yield return r;
            var il = body.GetILAsByteArray();
            var module = method.Module;
            Type[] typeArgs = method.DeclaringType.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
            Type[] methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
            // `constrained. T callvirt IDisposable::Dispose` is how foreach disposes a struct enumerator
            // (List<T>.Enumerator): that call is T's member, not an interface call a `using` makes.
            Type constrained = null;
            for (var pos = 0; pos < il.Length;)
            {
                var wasConstrained = constrained;
                constrained = null;
                short value = il[pos++];
                if (value == 0xFE) value = (short)(0xFE00 | il[pos++]);
                OpCode op;
                if (!opcodes.TryGetValue(value, out op)) throw new InvalidDataException("unknown IL opcode " + value + " in " + method.Name);
                switch (op.OperandType)
                {
                    case OperandType.InlineNone: break;
                    case OperandType.ShortInlineBrTarget: case OperandType.ShortInlineI: case OperandType.ShortInlineVar: pos += 1; break;
                    case OperandType.InlineVar: pos += 2; break;
                    case OperandType.InlineI8: case OperandType.InlineR: pos += 8; break;
                    case OperandType.InlineSwitch: pos += 4 + 4 * BitConverter.ToInt32(il, pos); break;
                    case OperandType.InlineField: case OperandType.InlineMethod: case OperandType.InlineTok: case OperandType.InlineType:
                    {
                        var token = BitConverter.ToInt32(il, pos);
                        pos += 4;
                        var member = module.ResolveMember(token, typeArgs, methodArgs);
                        if (member is Type)
                        {
                            if (op.Value == OpCodes.Constrained.Value) constrained = (Type)member;
                            foreach (var r in TypeRefs((Type)member)) yield return r;
                            break;
                        }
                        if (wasConstrained != null && op.Value == OpCodes.Callvirt.Value)
                        {
                            yield return Tuple.Create(Name(wasConstrained), member.Name);
                            break;
                        }
                        foreach (var r in TypeRefs(member.DeclaringType)) yield return r;
                        var mb = member as MethodInfo;
                        if (mb != null && mb.IsGenericMethod) foreach (var a in mb.GetGenericArguments()) foreach (var r in TypeRefs(a)) yield return r;
                        yield return Tuple.Create(Name(member.DeclaringType), member.Name);
                        break;
                    }
                    default: pos += 4; break;
                }
            }
        }
    }
}
