/* A classic BPF interpreter with the kernel's seccomp semantics: loads read
 * struct seccomp_data only (aligned 32-bit words), 16 scratch words, and
 * the program must end in a return. Tests, benchmarks and the fuzz target
 * run cxp's filters and libseccomp's through it side by side. */
#include <linux/seccomp.h>
#include <string.h>

#include "filter.h"

uint32_t bpf_sim_run(const struct sock_filter *p, size_t n, const struct seccomp_data *d,
                    sc_run_stats *st)
{
    sc_run_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {0};
    unsigned char data[sizeof *d];
    memcpy(data, d, sizeof data);
    for (size_t pc = 0; pc < n; pc++) {
        const struct sock_filter *in = &p[pc];
        uint32_t k = in->k;
        st->steps++;
        switch (BPF_CLASS(in->code)) {
        case BPF_LD:
            switch (BPF_MODE(in->code)) {
            case BPF_ABS:
                if (BPF_SIZE(in->code) != BPF_W || k > sizeof data - 4 || (k & 3))
                    goto bad;
                memcpy(&A, data + k, 4);
                if (k >= 8)
                    st->read_args = true;   /* the instruction pointer or an argument */
                break;
            case BPF_IMM: A = k; break;
            case BPF_MEM:
                if (k >= BPF_MEMWORDS)
                    goto bad;
                A = M[k];
                break;
            case BPF_LEN: A = sizeof data; break;
            default: goto bad;
            }
            break;
        case BPF_LDX:
            switch (BPF_MODE(in->code)) {
            case BPF_IMM: X = k; break;
            case BPF_MEM:
                if (k >= BPF_MEMWORDS)
                    goto bad;
                X = M[k];
                break;
            case BPF_LEN: X = sizeof data; break;
            default: goto bad;
            }
            break;
        case BPF_ST:
        case BPF_STX:
            if (k >= BPF_MEMWORDS)
                goto bad;
            M[k] = BPF_CLASS(in->code) == BPF_ST ? A : X;
            break;
        case BPF_ALU: {
            uint32_t v = BPF_SRC(in->code) == BPF_X ? X : k;
            switch (BPF_OP(in->code)) {
            case BPF_ADD: A += v; break;
            case BPF_SUB: A -= v; break;
            case BPF_MUL: A *= v; break;
            case BPF_DIV:
                if (!v)
                    goto bad;
                A /= v;
                break;
            case BPF_MOD:
                if (!v)
                    goto bad;
                A %= v;
                break;
            case BPF_OR: A |= v; break;
            case BPF_AND: A &= v; break;
            case BPF_XOR: A ^= v; break;
            case BPF_LSH: A = v < 32 ? A << v : 0; break;
            case BPF_RSH: A = v < 32 ? A >> v : 0; break;
            case BPF_NEG: A = -A; break;
            default: goto bad;
            }
            break;
        }
        case BPF_JMP: {
            if (BPF_OP(in->code) == BPF_JA) {
                if (k >= n - pc - 1)
                    goto bad;
                pc += k;
                break;
            }
            uint32_t v = BPF_SRC(in->code) == BPF_X ? X : k;
            bool t;
            switch (BPF_OP(in->code)) {
            case BPF_JEQ: t = A == v; break;
            case BPF_JGT: t = A > v; break;
            case BPF_JGE: t = A >= v; break;
            case BPF_JSET: t = (A & v) != 0; break;
            default: goto bad;
            }
            size_t off = t ? in->jt : in->jf;
            if (off >= n - pc - 1)
                goto bad;
            pc += off;
            break;
        }
        case BPF_RET:
            if (BPF_RVAL(in->code) == BPF_A)
                return A;
            if (BPF_RVAL(in->code) == BPF_K)
                return k;
            goto bad;
        case BPF_MISC:
            if (BPF_MISCOP(in->code) == BPF_TAX)
                X = A;
            else
                A = X;
            break;
        default:
            goto bad;
        }
    }
bad:
    st->fault = true;
    return SC_RET_KILL_PROCESS;
}
