import { Mutation, setInput } from "./mutate";

/** One or more mutations per enforced control; each must be killed by a mandatory violation naming it. */
export const mutations: Mutation[] = [
    {
        controls: ["C6.4"],
        description: "the resource group loses its data-classification tag",
        apply: setInput("azure-native:resources:ResourceGroup", "tags.data-classification", undefined),
    },
];

