import type { PolicyResource } from "@pulumi/policy";
import type * as input from "@pulumi/azure-native/types/input";
import type { Inputs } from "./inputs";
import { dependsVia } from "./references";
import { resourceTypes } from "../contract/resourceTypes";

/**
 * Reading NSG rules the way Azure evaluates them, for the network policies. Type tokens only; the
 * pack never imports the components. Every helper decides what an absent property means, and in
 * each case the answer is the unsafe one (fail closed).
 */
/** An NSG's inline security rule; a separate SecurityRule resource carries the same fields. */
export type RuleLike = Inputs<input.network.SecurityRuleArgs>;

/** Source prefixes that mean "anyone on the internet". */
const openSources = new Set(["*", "internet", "any", "0.0.0.0/0", "0.0.0.0", "::/0", "::"]);

export function isOpenPrefix(prefix: string): boolean {
    return openSources.has(prefix.trim().toLowerCase());
}

/** Azure's defaults: a rule without direction cannot exist, so absent means the worse case, inbound. */
export function isInbound(rule: RuleLike): boolean {
    return (rule.direction ?? "Inbound").toLowerCase() === "inbound";
}

export function isAllow(rule: RuleLike): boolean {
    return (rule.access ?? "Allow").toLowerCase() === "allow";
}

/** The rule's sources; a rule naming none (no prefix, prefixes or ASGs) is read as `*`. */
function sourcesOf(rule: RuleLike): string[] {
    const prefixes = [...(rule.sourceAddressPrefix ? [rule.sourceAddressPrefix] : []), ...(rule.sourceAddressPrefixes ?? [])];
    if (prefixes.length === 0 && (rule.sourceApplicationSecurityGroups ?? []).length === 0) return ["*"];
    return prefixes;
}

export function portsOf(rule: RuleLike): string[] {
    const ports = [...(rule.destinationPortRange ? [rule.destinationPortRange] : []), ...(rule.destinationPortRanges ?? [])];
    return ports.length === 0 ? ["*"] : ports;
}

/** An inbound allow that anyone on the internet matches. */
export function allowsInternetInbound(rule: RuleLike): boolean {
    return isInbound(rule) && isAllow(rule) && sourcesOf(rule).some(isOpenPrefix);
}

/** The edge listener shape: TCP to port 443 and nothing else. */
export function isHttpsListener(rule: RuleLike): boolean {
    const ports = portsOf(rule);
    return (rule.protocol ?? "*").toLowerCase() === "tcp" && ports.length === 1 && ports[0].trim() === "443";
}

/** A catch-all inbound deny: every source, destination, protocol and port. */
export function isDenyAllInbound(rule: RuleLike): boolean {
    const all = (values: string[]) => values.length > 0 && values.every(isOpenPrefix);
    const destinations = [...(rule.destinationAddressPrefix ? [rule.destinationAddressPrefix] : []), ...(rule.destinationAddressPrefixes ?? [])];
    return (
        rule.direction?.toLowerCase() === "inbound" &&
        rule.access?.toLowerCase() === "deny" &&
        rule.protocol === "*" &&
        all(sourcesOf(rule)) &&
        all(destinations) &&
        portsOf(rule).every((p) => p.trim() === "*")
    );
}

/** Inline rules of an NSG plus `SecurityRule` resources attached to it by name. */
export function rulesOfNsg(nsg: PolicyResource, resources: readonly PolicyResource[]): { rule: RuleLike; resource: PolicyResource }[] {
    const inline = ((nsg.props.securityRules ?? []) as RuleLike[]).map((rule) => ({ rule, resource: nsg }));
    const separate = resources
        .filter((r) => r.type === resourceTypes.network.SecurityRule && dependsVia(r, "networkSecurityGroupName", nsg))
        .map((r) => ({ rule: r.props as RuleLike, resource: r }));
    return [...inline, ...separate];
}

/**
 * NSGs of subnets that host an Application Gateway: the edge, the one place where the HTTPS
 * listener may accept the internet. Found through dependencies, since ids are unknown in preview.
 */
export function edgeNsgs(resources: readonly PolicyResource[]): Set<PolicyResource> {
    const gateways = resources.filter((r) => r.type === resourceTypes.network.ApplicationGateway);
    const edgeSubnets = resources.filter(
        (s) => s.type === resourceTypes.network.Subnet && gateways.some((g) => dependsVia(g, "gatewayIPConfigurations", s)),
    );
    return new Set(
        resources.filter((n) => n.type === resourceTypes.network.NetworkSecurityGroup && edgeSubnets.some((s) => dependsVia(s, "networkSecurityGroup", n))),
    );
}
