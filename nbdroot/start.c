/* start.c: the klcc build's program start (klibc's __libc_init) without the stdio that nbdroot never uses. */
#ifdef __KLIBC__
#include <stdint.h>
#include <unistd.h>
#include <sys/auxv.h>

/* klibc's crt0 calls __libc_init(elfdata, onexit). Its own one also sets up
 * stdin/stdout/stderr (fdopen, isatty) and leaves through exit(), whose
 * fflush pulls in fseek and lseek: about 600 bytes for streams nothing here
 * opens (messages go out with write(), see log.c). This one keeps the rest:
 * environ (execv) and the auxiliary vector (getauxval(AT_RANDOM) in
 * supervise.c); not the page size, which only klibc's malloc reads, and
 * nothing allocates (netif.c reads its directory with getdents64). Defined
 * here, it keeps the archive's __static_init.o out of the link; should a
 * symbol only that member defines be needed again, the link fails with
 * "multiple definition of __libc_init" rather than starting twice. */
char **environ;
unsigned long __auxval[_AUXVAL_MAX];

int main(int argc, char **argv);
__attribute__((noreturn, used)) void __libc_init(uintptr_t *elfdata, void (*onexit)(void));

__attribute__((noreturn, used)) void __libc_init(uintptr_t *elfdata, void (*onexit)(void))
{
	int argc = (int)*elfdata;
	char **argv = (char **)(elfdata + 1), **e = argv + argc + 1;
	unsigned long *aux;

	(void)onexit; /* never set for a static program */
	environ = e;
	while (*e)
		e++;
	for (aux = (unsigned long *)(e + 1); aux[0]; aux += 2)
		if (aux[0] < _AUXVAL_MAX)
			__auxval[aux[0]] = aux[1];
	_exit(main(argc, argv));
}
#endif
