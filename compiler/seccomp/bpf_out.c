/* Output formats of `cxpc seccomp`: the raw sock_filter array, a C header,
 * a disassembly, and the filter as an OCI seccomp profile (JSON). Each is a
 * function of its input only, so the same policy gives the same bytes. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

bool sc_format_parse(const char *name, sc_format *out)
{
    static const char *const names[] = {"bpf", "c", "disasm", "json"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (sc_format)i;
            return true;
        }
    return false;
}

static const char *ld_comment(uint32_t k, char *buf, size_t len)
{
    if (k == 0)
        return "nr";
    if (k == 4)
        return "arch";
    if (k == 8 || k == 12)
        return k == 8 ? "instruction_pointer (low)" : "instruction_pointer (high)";
    if (k >= 16 && k < 64) {
        snprintf(buf, len, "args[%u] (%s)", (k - 16) / 8, (k & 4) ? "high" : "low");
        return buf;
    }
    return "?";
}

/* One instruction in the classic tcpdump-like notation, with absolute
 * jump targets. */
static void disasm_one(FILE *f, const struct sock_filter *p, size_t i)
{
    const struct sock_filter *in = &p[i];
    char buf[64], cbuf[48];
    const char *comment = NULL;
    switch (BPF_CLASS(in->code)) {
    case BPF_LD:
        if (BPF_MODE(in->code) == BPF_ABS) {
            snprintf(buf, sizeof buf, "ld [%u]", in->k);
            comment = ld_comment(in->k, cbuf, sizeof cbuf);
        } else if (BPF_MODE(in->code) == BPF_IMM) {
            snprintf(buf, sizeof buf, "ld #0x%x", in->k);
        } else if (BPF_MODE(in->code) == BPF_MEM) {
            snprintf(buf, sizeof buf, "ld M[%u]", in->k);
        } else {
            snprintf(buf, sizeof buf, "ld #len");
        }
        break;
    case BPF_LDX: snprintf(buf, sizeof buf, "ldx #0x%x", in->k); break;
    case BPF_ST: snprintf(buf, sizeof buf, "st M[%u]", in->k); break;
    case BPF_STX: snprintf(buf, sizeof buf, "stx M[%u]", in->k); break;
    case BPF_ALU: {
        static const char *const ops[] = {"add", "sub", "mul", "div", "or", "and", "lsh",
                                          "rsh", "neg", "mod", "xor"};
        unsigned op = BPF_OP(in->code) >> 4;
        snprintf(buf, sizeof buf, "%s #0x%x", op < 11 ? ops[op] : "alu?", in->k);
        break;
    }
    case BPF_JMP:
        if (BPF_OP(in->code) == BPF_JA) {
            snprintf(buf, sizeof buf, "ja %zu", i + 1 + in->k);
        } else {
            static const char *const ops[] = {"ja", "jeq", "jgt", "jge", "jset"};
            unsigned op = BPF_OP(in->code) >> 4;
            snprintf(buf, sizeof buf, "%s #0x%x, %zu, %zu", op < 5 ? ops[op] : "j?", in->k,
                     i + 1 + in->jt, i + 1 + in->jf);
        }
        break;
    case BPF_RET:
        snprintf(buf, sizeof buf, "ret #0x%08x", in->k);
        comment = sc_action_name(in->k, cbuf, sizeof cbuf);
        break;
    default: snprintf(buf, sizeof buf, "misc"); break;
    }
    if (comment)
        fprintf(f, "%4zu: %-32s ; %s\n", i, buf, comment);
    else
        fprintf(f, "%4zu: %s\n", i, buf);
}

static void arch_list(FILE *f, uint32_t arches)
{
    for (int a = 0; a < SC_ARCH__COUNT; a++)
        if (arches & SC_ARCHBIT(a))
            fprintf(f, " %s", sc_arch_name((sc_arch)a));
}

/* --- OCI JSON --------------------------------------------------------------- */

static void oci_action(cJSON *o, uint32_t action)
{
    const char *name;
    bool ret = false;
    switch (action & SC_RET_ACTION_FULL) {
    case SC_RET_KILL_PROCESS: name = "SCMP_ACT_KILL_PROCESS"; break;
    case SC_RET_KILL_THREAD: name = "SCMP_ACT_KILL_THREAD"; break;
    case SC_RET_TRAP: name = "SCMP_ACT_TRAP"; break;
    case SC_RET_LOG: name = "SCMP_ACT_LOG"; break;
    case SC_RET_USER_NOTIF: name = "SCMP_ACT_NOTIFY"; break;
    case SC_RET_ERRNO: name = "SCMP_ACT_ERRNO"; ret = true; break;
    case SC_RET_TRACE: name = "SCMP_ACT_TRACE"; ret = true; break;
    default: name = "SCMP_ACT_ALLOW"; break;
    }
    cJSON_AddStringToObject(o, "action", name);
    if (ret)
        cJSON_AddNumberToObject(o, "errnoRet", action & SC_RET_DATA);
}

static cJSON *u64_json(uint64_t v)
{
    /* raw digits: JSON numbers past 2^53 would lose bits through a double */
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return cJSON_CreateRaw(buf);
}

static void oci_arg(cJSON *args, unsigned index, const char *op, uint64_t value,
                    uint64_t two)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "index", index);
    cJSON_AddItemToObject(a, "value", u64_json(value));
    cJSON_AddItemToObject(a, "valueTwo", u64_json(two));
    cJSON_AddStringToObject(a, "op", op);
    cJSON_AddItemToArray(args, a);
}

/* OCI has no "any bit set": a rule with one is written as one rule per bit
 * of the mask (their union is the same set of calls). `choice[i]` picks
 * the bit for the i-th condition of that kind. */
static void oci_rules(cJSON *list, const sc_rule *r)
{
    static const char *const ops[] = {
        [SC_EQ] = "SCMP_CMP_EQ", [SC_NE] = "SCMP_CMP_NE", [SC_LT] = "SCMP_CMP_LT",
        [SC_LE] = "SCMP_CMP_LE", [SC_GT] = "SCMP_CMP_GT", [SC_GE] = "SCMP_CMP_GE",
        [SC_MASKED_EQ] = "SCMP_CMP_MASKED_EQ"};
    /* enumerate bit choices for every SC_ANY_SET condition */
    uint32_t nany = 0;
    for (uint32_t c = 0; c < r->ncond; c++)
        nany += r->cond[c].op == SC_ANY_SET;
    uint32_t pos[24] = {0};
    for (;;) {
        cJSON *o = cJSON_CreateObject();
        cJSON *names = cJSON_AddArrayToObject(o, "names");
        cJSON_AddItemToArray(names, cJSON_CreateString(sc_syscalls[r->sys].name));
        oci_action(o, r->action);
        if (r->ncond) {
            cJSON *args = cJSON_AddArrayToObject(o, "args");
            uint32_t k = 0;
            for (uint32_t c = 0; c < r->ncond; c++) {
                const sc_cond *d = &r->cond[c];
                if (d->op == SC_ANY_SET) {
                    /* the pos[k]-th set bit of the mask */
                    uint64_t m = d->mask, bit = 0;
                    for (uint32_t skip = pos[k]; m; m &= m - 1) {
                        if (skip-- == 0) {
                            bit = m & -m;
                            break;
                        }
                    }
                    oci_arg(args, d->arg, "SCMP_CMP_MASKED_EQ", bit, bit);
                    k++;
                } else if (d->op == SC_MASKED_EQ) {
                    oci_arg(args, d->arg, ops[d->op], d->mask, d->value);
                } else {
                    oci_arg(args, d->arg, ops[d->op], d->value, 0);
                }
            }
        }
        cJSON_AddItemToArray(list, o);
        /* next combination of bits */
        uint32_t k = 0, c;
        for (c = 0; c < r->ncond; c++) {
            if (r->cond[c].op != SC_ANY_SET)
                continue;
            if (++pos[k] < (uint32_t)__builtin_popcountll(r->cond[c].mask))
                break;
            pos[k++] = 0;
        }
        if (c == r->ncond)
            return;
    }
}

static char *oci_json(const struct ir_syscall *ir, uint32_t arches)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *d = cJSON_CreateObject();
    oci_action(d, ir->default_action);
    cJSON_AddStringToObject(root, "defaultAction", cJSON_GetObjectItem(d, "action")->valuestring);
    if (cJSON_GetObjectItem(d, "errnoRet"))
        cJSON_AddNumberToObject(root, "defaultErrnoRet", ir->default_action & SC_RET_DATA);
    cJSON_Delete(d);
    cJSON *ar = cJSON_AddArrayToObject(root, "architectures");
    static const char *const oci_arch[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
                                           "SCMP_ARCH_AARCH64"};
    for (int a = 0; a < SC_ARCH__COUNT; a++)
        if (arches & SC_ARCHBIT(a))
            cJSON_AddItemToArray(ar, cJSON_CreateString(oci_arch[a]));
    cJSON *list = cJSON_AddArrayToObject(root, "syscalls");
    for (uint32_t i = 0; i < ir->nrules; i++) {
        const sc_rule *r = &ir->rules[i];
        /* consecutive unconditional rules with one action share an entry */
        cJSON *last = cJSON_GetArrayItem(list, cJSON_GetArraySize(list) - 1);
        if (r->ncond == 0 && last && !cJSON_GetObjectItem(last, "args") && i > 0 &&
            ir->rules[i - 1].ncond == 0 && ir->rules[i - 1].action == r->action) {
            cJSON_AddItemToArray(cJSON_GetObjectItem(last, "names"),
                                 cJSON_CreateString(sc_syscalls[r->sys].name));
            continue;
        }
        oci_rules(list, r);
    }
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}

bool sc_write(FILE *f, sc_format fmt, const struct ir_syscall *ir, uint32_t arches,
              const struct sock_filter *p, size_t n)
{
    switch (fmt) {
    case SC_FMT_BPF:
        return fwrite(p, sizeof *p, n, f) == n;
    case SC_FMT_DISASM:
        fprintf(f, "; seccomp filter, %zu instructions, for", n);
        arch_list(f, arches);
        fputc('\n', f);
        for (size_t i = 0; i < n; i++)
            disasm_one(f, p, i);
        break;
    case SC_FMT_C:
        fprintf(f, "/* seccomp filter generated by cxpc: %zu instructions, for", n);
        arch_list(f, arches);
        fprintf(f, " */\n#include <linux/filter.h>\n\nstatic const struct sock_filter "
                   "cxp_seccomp_filter[%zu] = {\n", n);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "    {0x%02x, %u, %u, 0x%08x},\n", p[i].code, p[i].jt, p[i].jf, p[i].k);
        fprintf(f, "};\n");
        break;
    case SC_FMT_JSON: {
        char *s = oci_json(ir, arches);
        if (!s)
            return false;
        fprintf(f, "%s\n", s);
        free(s);
        break;
    }
    }
    return !ferror(f);
}
