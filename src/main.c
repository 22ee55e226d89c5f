/* kumppani: argv goes to the command line layer, which picks the command. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
