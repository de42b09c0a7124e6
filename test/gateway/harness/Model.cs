// A typed model of API Management's policy-expression context, written from Microsoft Learn's
// "API Management policy expressions" reference (section "Context variable"):
// https://learn.microsoft.com/azure/api-management/api-management-policy-expressions#ContextVariables
//
// Only members that page lists exist here, with the types it gives, so an expression that uses an
// undocumented member (or a misspelt one) fails to compile exactly as it would fail to save.
// Members the platform never reads (Product, Subscription, User, Certificate, …) are left out on
// purpose: using one fails the compile, which is the safe direction (add it here from Learn first).
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using Newtonsoft.Json.Linq;

namespace Apim
{
    /// <summary>IMessageBody: As&lt;T&gt;(preserveContent = false) for string, byte[], JObject, JToken, JArray, XNode, XElement, XDocument.</summary>
    public interface IMessageBody
    {
        T As<T>(bool preserveContent = false);
    }

    /// <summary>IUrl: Host, Path, Port, Query, QueryString, Scheme.</summary>
    public interface IUrl
    {
        string Host { get; }
        string Path { get; }
        int Port { get; }
        IReadOnlyDictionary<string, string[]> Query { get; }
        string QueryString { get; }
        string Scheme { get; }
    }

    /// <summary>context.Request: Body (null when the request has no body), Headers, IpAddress, MatchedParameters, Method, OriginalUrl, Url.</summary>
    public interface IRequest
    {
        IMessageBody Body { get; }
        IReadOnlyDictionary<string, string[]> Headers { get; }
        string IpAddress { get; }
        IReadOnlyDictionary<string, string> MatchedParameters { get; }
        string Method { get; }
        IUrl OriginalUrl { get; }
        IUrl Url { get; }
    }

    /// <summary>context.Response and send-request responses: Body, Headers, StatusCode, StatusReason.</summary>
    public interface IResponse
    {
        IMessageBody Body { get; }
        IReadOnlyDictionary<string, string[]> Headers { get; }
        int StatusCode { get; }
        string StatusReason { get; }
    }

    /// <summary>context.LastError (ProxyError): Source, Reason, Message, Scope, Section, Path, PolicyId.</summary>
    public interface ILastError
    {
        string Source { get; }
        string Reason { get; }
        string Message { get; }
        string Scope { get; }
        string Section { get; }
        string Path { get; }
        string PolicyId { get; }
    }

    /// <summary>context.Operation: Id, Method, Name, UrlTemplate.</summary>
    public interface IOperation
    {
        string Id { get; }
        string Method { get; }
        string Name { get; }
        string UrlTemplate { get; }
    }

    /// <summary>context.Api: Id, IsCurrentRevision, Name, Path, Revision, ServiceUrl, Version.</summary>
    public interface IApi
    {
        string Id { get; }
        bool IsCurrentRevision { get; }
        string Name { get; }
        string Path { get; }
        string Revision { get; }
        IUrl ServiceUrl { get; }
        string Version { get; }
    }

    /// <summary>context.Deployment: GatewayId, Region, ServiceName.</summary>
    public interface IDeployment
    {
        string GatewayId { get; }
        string Region { get; }
        string ServiceName { get; }
    }

    /// <summary>The implicit `context` variable (read-only members).</summary>
    public interface IContext
    {
        IApi Api { get; }
        IDeployment Deployment { get; }
        TimeSpan Elapsed { get; }
        ILastError LastError { get; }
        IOperation Operation { get; }
        IRequest Request { get; }
        Guid RequestId { get; }
        IResponse Response { get; }
        DateTime Timestamp { get; }
        bool Tracing { get; }
        IReadOnlyDictionary<string, object> Variables { get; }
        void Trace(string message);
    }

    /// <summary>Jwt: Algorithm, Audiences, Claims, ExpirationTime, Id, Issuer, IssuedAt, NotBefore, Subject, Type.</summary>
    public class Jwt
    {
        public string Algorithm { get; set; }
        public IEnumerable<string> Audiences { get; set; }
        public IReadOnlyDictionary<string, string[]> Claims { get; set; }
        public DateTime? ExpirationTime { get; set; }
        public string Id { get; set; }
        public string Issuer { get; set; }
        public DateTime? IssuedAt { get; set; }
        public DateTime? NotBefore { get; set; }
        public string Subject { get; set; }
        public string Type { get; set; }
    }

    /// <summary>The extension methods Learn lists: GetValueOrDefault (headers, query, claims, variables) and AsJwt/TryParseJwt.</summary>
    public static class ContextExtensions
    {
        /// Headers, query parameters and JWT claims: comma-separated values, or defaultValue when absent.
        public static string GetValueOrDefault(this IReadOnlyDictionary<string, string[]> values, string name, string defaultValue)
        {
            string[] found;
            return values.TryGetValue(name, out found) ? string.Join(",", found) : defaultValue;
        }

        /// "Returns variable value cast to type T or defaultValue if the variable is not found. This
        /// method throws an exception if the specified type does not match the actual type."
        public static T GetValueOrDefault<T>(this IReadOnlyDictionary<string, object> variables, string name, T defaultValue)
        {
            object found;
            if (!variables.TryGetValue(name, out found)) return defaultValue;
            return (T)found;
        }

        /// A JWT in compact form (three Base64url parts) becomes a Jwt; anything else null. The
        /// signature is not checked (Learn: "contains a valid JWT token value" means well-formed).
        public static Jwt AsJwt(this string input)
        {
            Jwt jwt;
            return TryParseJwt(input, out jwt) ? jwt : null;
        }

        public static bool TryParseJwt(this string input, out Jwt result)
        {
            result = null;
            if (input == null) return false;
            var parts = input.Split('.');
            if (parts.Length != 3) return false;
            try
            {
                var header = JObject.Parse(Base64Url(parts[0]));
                var payload = JObject.Parse(Base64Url(parts[1]));
                result = Harness.JwtFromPayload(payload, (string)header["alg"], (string)header["typ"]);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        static string Base64Url(string part)
        {
            var s = part.Replace('-', '+').Replace('_', '/');
            while (s.Length % 4 != 0) s += "=";
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
    }
}
