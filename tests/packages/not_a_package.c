/*
 * not_a_package.so: a shared object listed in lsa.conf that is no authentication
 * package: it exports neither SpLsaModeInitialize (SSP/AP) nor LsaApInitializePackage
 * (AP).  The LSA must log that and go on loading the others.
 */
int not_a_package_answer(void);

int not_a_package_answer(void)
{
    return 42;
}
